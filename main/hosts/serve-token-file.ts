import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../core/atomic-write'

/** In the data directory (0700), readable by its owner only: a bookmark keeps working after a restart. */
export const SERVE_TOKEN_FILE = 'serve-token'

const WELL_FORMED = /^[A-Za-z0-9_-]{24,256}$/

export interface ServeToken {
  token: string
  /** Where it came from: BACKPLANE_TOKEN, the file of an earlier run, or made now. */
  source: 'environment' | 'file' | 'new'
}

/**
 * Serve mode's token: BACKPLANE_TOKEN when set (never written anywhere), else the one kept in the data
 * directory, else a new random one that is kept there. `renew` (`--new-token`) replaces the kept one,
 * which signs every browser out.
 */
export async function serveToken(dataDir: string, { renew = false, env = process.env }: { renew?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<ServeToken> {
  if (env.BACKPLANE_TOKEN) return { token: env.BACKPLANE_TOKEN, source: 'environment' }
  const file = join(dataDir, SERVE_TOKEN_FILE)
  if (!renew) {
    const kept = await readKeptToken(dataDir)
    if (kept) return { token: kept, source: 'file' }
  }
  const token = randomBytes(24).toString('base64url')
  await writeFileAtomic(file, `${token}\n`, 0o600)
  return { token, source: 'new' }
}

/** The token a serve process keeps in this data directory, if any (a damaged file counts as none). */
export async function readKeptToken(dataDir: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(dataDir, SERVE_TOKEN_FILE), 'utf8')).trim()
    return WELL_FORMED.test(text) ? text : undefined
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
