import { readFileSync } from 'node:fs'
import { serviceEnv } from '../../test/support/services'
import type { S3TestServer } from '../../test/support/s3-server'
import type { RcloneRemotes } from './rclone'
import { answerError, type ServeChild } from './storage-serve'

/** An alias the serve process has and can reach, or why there is none. */
export type BenchAlias = { alias: string } | { skipped: string }

export interface BenchAliases {
  filesystem: BenchAlias
  sftp: BenchAlias
  s3: BenchAlias
  /** The same servers for rclone. */
  remotes: RcloneRemotes
  /** The folder of this run on the SFTP server (under the user's home), for rclone and for cleaning up. */
  sftpFolder: string
}

export const S3_BUCKET = 'backplane-bench'

/**
 * Saves the three aliases through settings.saveAlias, as the GUI would, secrets in `secrets` (the file
 * secret store of the bench's data directory), then lists each one's root: an alias that cannot be
 * saved (its engine is not registered yet) or reached is a reason, not an error. An SFTP server not yet
 * known is trusted with the fingerprint it reported: the bench plays the user who checked it.
 */
export async function configureAliases(serve: ServeChild, fsRoot: string, s3: S3TestServer | string): Promise<BenchAliases> {
  const sftpFolder = `backplane-bench-${process.pid}`
  const remotes: RcloneRemotes = {}
  const filesystem = await saveAndProbe(serve, { kind: 'storage', name: 'bench-fs', engine: 'filesystem', options: { location: fsRoot } })

  let sftp: BenchAlias
  const env = serviceEnv('sftp')
  if (!env) sftp = { skipped: 'no SFTP server: BACKPLANE_TEST_SFTP_URL is not set (npm run testbed:start)' }
  else {
    const url = new URL(env.BACKPLANE_TEST_SFTP_URL!)
    const keyFile = env.BACKPLANE_TEST_SFTP_KEY!
    const user = decodeURIComponent(url.username)
    const port = Number(url.port || 22)
    remotes.sftp = { host: url.hostname, port, user, keyFile }
    sftp = await saveAndProbe(serve, {
      kind: 'storage',
      name: 'bench-sftp',
      engine: 'sftp',
      options: { host: url.hostname, port, user, root: sftpFolder },
      // The key's text, not its path: the engine keeps it in the secret store.
      secrets: { privateKey: readFileSync(keyFile, 'utf8') },
    })
  }

  let s3Alias: BenchAlias
  if (typeof s3 === 'string') s3Alias = { skipped: s3 }
  else {
    remotes.s3 = { endpoint: s3.endpoint, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }
    s3Alias = await saveAndProbe(serve, {
      kind: 'storage',
      name: 'bench-s3',
      engine: 's3',
      options: { endpoint: s3.endpoint, region: s3.region, bucket: S3_BUCKET, forcePathStyle: true, accessKeyId: s3.accessKeyId },
      secrets: { secretAccessKey: s3.secretAccessKey },
    })
  }
  return { filesystem, sftp, s3: s3Alias, remotes, sftpFolder }
}

async function saveAndProbe(serve: ServeChild, draft: { kind: 'storage'; name: string; engine: string; options: Record<string, unknown>; secrets?: Record<string, string> }): Promise<BenchAlias> {
  const saved = await serve.rpc('settings.saveAlias', draft)
  if (saved.status >= 300) return { skipped: `the ${draft.engine} alias could not be saved: ${answerError('settings.saveAlias', saved).message}` }
  let listed = await serve.rpc('storage.list', { alias: draft.name, path: '', limit: 1 })
  const error = listed.body.error
  if (error?.code === 'E_HOST_KEY_UNKNOWN' && error.details) {
    const { host, port, fingerprint, keyType } = error.details
    await serve.call('ssh.trustHostKey', { host, port, fingerprint, keyType })
    listed = await serve.rpc('storage.list', { alias: draft.name, path: '', limit: 1 })
  }
  // A root folder not made yet answers E_NOT_FOUND: the server was reached, and the first upload makes it.
  if (listed.status >= 300 && listed.body.error?.code !== 'E_NOT_FOUND') return { skipped: `the ${draft.engine} alias does not answer: ${answerError('storage.list', listed).message}` }
  return { alias: draft.name }
}
