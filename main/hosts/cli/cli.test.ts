import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const BIN = resolve(__dirname, '../../../bin/backplane.mjs')
const homes: string[] = []
afterAll(() => homes.forEach((h) => rmSync(h, { recursive: true, force: true })))

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'backplane-cli-'))
  homes.push(dir)
  return dir
}

async function backplane(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, BACKPLANE_SECRET_STORE: 'file', ...env } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

describe('backplane CLI', () => {
  it('call runs one method against BACKPLANE_HOME and prints its JSON', async () => {
    const dir = home()
    const out = await backplane(['call', 'system.info'], { BACKPLANE_HOME: dir })
    expect(out.code).toBe(0)
    expect(JSON.parse(out.stdout)).toMatchObject({ dataDir: dir, host: 'cli' })
  })

  it('call exits 1 with the error JSON on failure', async () => {
    const out = await backplane(['call', 'cache.get', '{"key": 1}'], { BACKPLANE_HOME: home() })
    expect(out.code).toBe(1)
    expect(JSON.parse(out.stdout)).toMatchObject({ error: { code: 'E_INVALID_INPUT' } })
    const bad = await backplane(['call', 'cache.get', '{oops'], { BACKPLANE_HOME: home() })
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'E_INVALID_JSON' } })
  })

  it('check passes on the defaults and fails, naming the alias, when one is broken', async () => {
    const dir = home()
    const ok = await backplane(['check', '--json'], { BACKPLANE_HOME: dir })
    expect(ok.code).toBe(0)
    expect((JSON.parse(ok.stdout) as { state: string }[]).map((r) => r.state)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ caches: { default: { engine: 'locmem', options: { maxEntries: -1 } } } }))
    const failed = await backplane(['check'], { BACKPLANE_HOME: dir })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(/FAIL cache\/default \(locmem\)\n\s+E_ALIAS_INVALID: \/caches\/default\/options\/maxEntries/)
  })

  it('config show prints references, never secret values, and masks a secret typed in clear', async () => {
    const dir = home()
    const engine = resolve(__dirname, '../../../test/fixtures/secret-cache.mjs') + '#SecretCache'
    expect((await backplane(['engines', 'trust', engine], { BACKPLANE_HOME: dir })).code).toBe(0)
    await backplane(['call', 'settings.saveAlias', JSON.stringify({ kind: 'cache', name: 'r', engine, secrets: { password: 'open-sesame' } })], { BACKPLANE_HOME: dir })
    const shown = await backplane(['config', 'show'], { BACKPLANE_HOME: dir })
    expect(shown.stdout).toContain('"$secret": "caches.r.password"')
    expect(shown.stdout).not.toContain('open-sesame')
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({
        caches: { r: { engine, options: { password: 'typed-in-clear' } }, 'bad name': { engine: 'locmem', options: { password: 'typed-in-clear-4' } } },
        mail: { typo: { engine: 'smtpp', options: { password: 'typed-in-clear-2', host: 'smtp://u:typed-in-clear-3@host' } } },
        services: { outbox: { smtp: { users: [{ username: 'u', password: 'typed-in-clear-6' }] } } },
      }),
    )
    const masked = await backplane(['config', 'show'], { BACKPLANE_HOME: dir })
    expect(masked.stdout).not.toMatch(/typed-in-clear/)
  })

  it('config validate reports a corrupt file with its position and exits 1', async () => {
    const dir = home()
    writeFileSync(join(dir, 'settings.json'), '{ "caches": ')
    const out = await backplane(['config', 'validate'], { BACKPLANE_HOME: dir })
    expect(out.code).toBe(1)
    expect(out.stderr).toMatch(/settings\.json.*not valid JSON/)
  })

  it('serve prints one line with the URL and token, and refuses a non-loopback address without --allow-remote', async () => {
    const dir = home()
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...process.env, BACKPLANE_HOME: dir, BACKPLANE_TOKEN: 'fixed-token', BACKPLANE_SECRET_STORE: 'file' } })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          if (out.includes('\n')) resolve(out.split('\n')[0]!)
        })
        child.on('exit', () => reject(new Error(`serve exited: ${out}`)))
      })
      expect(line).toMatch(/^Backplane is serving on http:\/\/127\.0\.0\.1:\d+\/\?token=fixed-token$/)
      const url = new URL(line.slice(line.indexOf('http')))
      const res = await fetch(new URL('/rpc/system.ping', url), { method: 'POST', headers: { authorization: 'Bearer fixed-token' } })
      expect(await res.json()).toEqual({ ok: true })
    } finally {
      child.kill('SIGTERM')
    }
    const remote = await backplane(['serve', '--host', '0.0.0.0', '--port', '0'], { BACKPLANE_HOME: dir })
    expect(remote.code).toBe(1)
    expect(remote.stderr).toContain('--allow-remote')
  })

  it('call and check talk to the app serving the same data directory; --local runs in a process of their own', async () => {
    const dir = home()
    const env: NodeJS.ProcessEnv = { ...process.env, BACKPLANE_HOME: dir, BACKPLANE_SECRET_STORE: 'file' }
    delete env.BACKPLANE_TOKEN
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--smtp-port', '0'], { env })
    const cli = (args: string[]) => backplane(args, { BACKPLANE_HOME: dir, BACKPLANE_TOKEN: '' })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const match = /serving on (\S+)/.exec(out)
          if (match) resolve(match[1]!)
        })
        child.on('exit', () => reject(new Error(`serve exited: ${out}`)))
      })
      // Where the capture server listens is said once (it was said twice).
      expect(stderr.match(/SMTP capture server on/g)).toHaveLength(1)
      // The token is kept for its owner only; what tells clients where the app is holds no token.
      const token = new URL(url).searchParams.get('token')!
      expect(readFileSync(join(dir, 'serve-token'), 'utf8').trim()).toBe(token)
      expect(statSync(join(dir, 'serve-token')).mode & 0o777).toBe(0o600)
      expect(readFileSync(join(dir, 'instance.json'), 'utf8')).not.toContain(token)

      expect(JSON.parse((await cli(['call', 'system.info'])).stdout)).toMatchObject({ host: 'serve' })
      expect(JSON.parse((await cli(['call', 'system.info', '--local'])).stdout)).toMatchObject({ host: 'cli' })
      // The in-process cache lives in the running app only: a key set by one call is there for the next.
      expect((await cli(['call', 'cache.set', '{"alias":"default","key":"greeting","value":"hi"}'])).code).toBe(0)
      expect(JSON.parse((await cli(['call', 'cache.get', '{"alias":"default","key":"greeting"}'])).stdout)).toEqual({ found: true, value: 'hi' })
      expect(JSON.parse((await cli(['call', 'cache.get', '{"alias":"default","key":"greeting"}', '--local'])).stdout)).toEqual({ found: false })
      const failed = await cli(['call', 'cache.get', '{"key": 1}'])
      expect(failed.code).toBe(1)
      expect(JSON.parse(failed.stdout)).toMatchObject({ error: { code: 'E_INVALID_INPUT' } })
      const wrongToken = await backplane(['call', 'system.info'], { BACKPLANE_HOME: dir, BACKPLANE_TOKEN: 'not-the-one-the-app-keeps' })
      expect(wrongToken.code).toBe(1)
      expect(JSON.parse(wrongToken.stdout)).toMatchObject({ error: { code: 'E_UNAUTHORIZED', hint: expect.stringContaining('--local') } })
      const check = await cli(['check', '--json'])
      expect(JSON.parse(check.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'cache', alias: 'default', state: 'ok' })]))
    } finally {
      await new Promise((resolve) => {
        child.once('exit', resolve)
        child.kill('SIGTERM')
      })
    }
    // Stopped: the record is gone, and a stale one (a process that died without cleaning up) is ignored.
    expect(JSON.parse((await cli(['call', 'system.info'])).stdout)).toMatchObject({ host: 'cli' })
    writeFileSync(join(dir, 'instance.json'), JSON.stringify({ pid: 2 ** 22 + 12345, url: 'http://127.0.0.1:9/', host: 'serve', startedAt: '' }))
    expect(JSON.parse((await cli(['call', 'system.info'])).stdout)).toMatchObject({ host: 'cli' })
    // A live PID (a reused one) where nothing answers as Backplane: run here, and the record goes.
    writeFileSync(join(dir, 'instance.json'), JSON.stringify({ pid: process.pid, url: 'http://127.0.0.1:9/', host: 'serve', startedAt: '' }))
    expect(JSON.parse((await cli(['call', 'system.info'])).stdout)).toMatchObject({ host: 'cli' })
    expect(existsSync(join(dir, 'instance.json'))).toBe(false)
    // A live PID with a URL elsewhere is not followed either: the token would go there.
    writeFileSync(join(dir, 'instance.json'), JSON.stringify({ pid: process.pid, url: 'http://192.0.2.1:9/', host: 'serve', startedAt: '' }))
    expect(JSON.parse((await cli(['call', 'system.info'])).stdout)).toMatchObject({ host: 'cli' })
  })

  it('explains an unknown command', async () => {
    const out = await backplane(['frobnicate'], { BACKPLANE_HOME: home() })
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('unknown command "frobnicate"')
  })
})
