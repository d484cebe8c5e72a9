import { spawn } from 'node:child_process'
import type { Readable } from 'node:stream'
import { hashStream } from './big-file'

/** Where rclone should reach the same servers Backplane's aliases use; secrets go into its environment only. */
export interface RcloneRemotes {
  sftp?: { host: string; port: number; user: string; keyFile: string }
  s3?: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string }
}

/**
 * rclone configured entirely by environment variables (RCLONE_CONFIG_<NAME>_<OPTION>), no config file:
 * remotes `bpsftp:` and `bps3:`. Chosen to do what Backplane's engines do and no more: no hash check after
 * an SFTP upload (rclone would run md5sum over SSH), no shell probing, no bucket check before each write.
 */
export function rcloneEnv(remotes: RcloneRemotes, configPath: string): NodeJS.ProcessEnv {
  // Nothing rclone or its AWS SDK would read is inherited: an AWS_CA_BUNDLE set for other tools makes
  // rclone's S3 remote fail ("unsupported transport"), and a stray RCLONE_* or AWS profile would change the run.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(AWS_|RCLONE_)/.test(key)))
  env.RCLONE_CONFIG = configPath
  if (remotes.sftp) {
    Object.assign(env, {
      RCLONE_CONFIG_BPSFTP_TYPE: 'sftp',
      RCLONE_CONFIG_BPSFTP_HOST: remotes.sftp.host,
      RCLONE_CONFIG_BPSFTP_PORT: String(remotes.sftp.port),
      RCLONE_CONFIG_BPSFTP_USER: remotes.sftp.user,
      RCLONE_CONFIG_BPSFTP_KEY_FILE: remotes.sftp.keyFile,
      RCLONE_CONFIG_BPSFTP_DISABLE_HASHCHECK: 'true',
      RCLONE_CONFIG_BPSFTP_SHELL_TYPE: 'none',
    })
  }
  if (remotes.s3) {
    Object.assign(env, {
      RCLONE_CONFIG_BPS3_TYPE: 's3',
      RCLONE_CONFIG_BPS3_PROVIDER: 'Other',
      RCLONE_CONFIG_BPS3_ENDPOINT: remotes.s3.endpoint,
      RCLONE_CONFIG_BPS3_REGION: remotes.s3.region,
      RCLONE_CONFIG_BPS3_ACCESS_KEY_ID: remotes.s3.accessKeyId,
      RCLONE_CONFIG_BPS3_SECRET_ACCESS_KEY: remotes.s3.secretAccessKey,
      RCLONE_CONFIG_BPS3_FORCE_PATH_STYLE: 'true',
      RCLONE_CONFIG_BPS3_NO_CHECK_BUCKET: 'true',
    })
  }
  return env
}

/** Runs rclone to its end; an exit other than 0 is an error carrying the end of what it said (never its environment). */
export function rclone(args: string[], env: NodeJS.ProcessEnv, onStdout?: (stdout: Readable) => Promise<unknown>, timeoutMs = 300_000): Promise<void> {
  return new Promise((resolve, reject) => {
    // A server that stops answering must not hold the whole run: the child is killed (by its PID) after timeoutMs.
    const child = spawn('rclone', args, { env, timeout: timeoutMs, killSignal: 'SIGKILL', stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)))
    const reading = onStdout ? onStdout(child.stdout!) : Promise.resolve()
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      reading.then(
        () => (code === 0 ? resolve() : reject(new Error(`rclone ${args[0]} exited with ${signal ?? code}: ${stderr.trim()}`))),
        reject,
      )
    })
  })
}

/** `rclone cat remote:name` hashed as it arrives: the download beside Backplane's GET, which is hashed the same way. */
export async function rcloneCat(remotePath: string, env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<{ bytes: number; sha256: string }> {
  let result: { bytes: number; sha256: string } | undefined
  await rclone(['cat', remotePath], env, async (stdout) => (result = await hashStream(stdout)), timeoutMs)
  return result!
}

/** Whether Debian's rclone is on PATH, and its version line. */
export function rcloneVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn('rclone', ['version'], { stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.once('error', () => resolve(undefined))
    child.once('exit', (code) => resolve(code === 0 ? out.split('\n')[0]?.trim() : undefined))
  })
}
