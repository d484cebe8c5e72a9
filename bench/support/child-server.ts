import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

export interface ChildServer {
  port: number
  child: ChildProcess
  /** Stops the server; resolves with everything it printed on stdout. */
  stop(): Promise<string>
}

/**
 * Runs a server script in its own process (through tsx), so that the load generator and the server
 * do not share an event loop; the script prints `PORT <n>` when it listens.
 */
export function startChildServer(script: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolvePort, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const match = /PORT (\d+)/.exec(out)
      if (match) {
        resolvePort({
          port: Number(match[1]),
          child,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done(out))
              child.kill('SIGTERM')
            }),
        })
      }
    })
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)))
  })
}
