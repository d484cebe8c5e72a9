import { constants, mkdirSync, statSync } from 'node:fs'
import { access, mkdir, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { BackplaneError, ErrorCode } from './errors'

/**
 * `mkdir -p`, one level at a time. Node's own `{ recursive: true }` never returns for a path under
 * /proc (the promise never settles, mkdirSync spins forever): a storage or mail folder typed as
 * "/proc/nope" hung a health check and would freeze the event loop. Here each level is created
 * plainly, so an impossible path fails with a typed error at once.
 */
export async function makeDirectory(path: string, mode?: number): Promise<void> {
  const missing: string[] = []
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      if (!(await stat(dir)).isDirectory()) throw notADirectory(dir)
      break
    } catch (err) {
      if (!isMissing(err)) throw err
      missing.push(dir)
      if (dirname(dir) === dir) break
    }
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir, mode === undefined ? undefined : { mode })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await stat(dir)).isDirectory()) continue
      throw cannotCreate(dir, err)
    }
  }
}

export function makeDirectorySync(path: string, mode?: number): void {
  const missing: string[] = []
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) throw notADirectory(dir)
      break
    } catch (err) {
      if (!isMissing(err)) throw err
      missing.push(dir)
      if (dirname(dir) === dir) break
    }
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, mode === undefined ? undefined : { mode })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir).isDirectory()) continue
      throw cannotCreate(dir, err)
    }
  }
}

/** Not there, or not reachable because a file stands where a folder of the path should be (ENOTDIR): walk up. */
function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

function notADirectory(dir: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_NOT_A_DIRECTORY, `${dir} exists but is not a folder.`)
}

function cannotCreate(dir: string, err: unknown): BackplaneError {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BackplaneError(ErrorCode.E_PERMISSION, `No permission to create the folder ${dir} (${code}).`, { cause: err })
  }
  return new BackplaneError(ErrorCode.E_NOT_A_DIRECTORY, `The folder ${dir} cannot be created here (${code ?? 'unknown error'}).`, {
    cause: err,
    hint: 'Choose a location on a normal disk folder.',
  })
}

/**
 * Whether a folder could be written, without creating it (a health check creates nothing): the folder
 * itself if it exists, else the nearest folder above it, which the first write would create it in.
 * Throws E_NOT_A_DIRECTORY when a file stands in the way and E_PERMISSION when it cannot be written.
 */
export async function inspectFolder(path: string): Promise<{ exists: true } | { exists: false; createdIn: string }> {
  for (let dir = path; ; dir = dirname(dir)) {
    let info
    try {
      info = await stat(dir)
    } catch (err) {
      if (!isMissing(err) || dirname(dir) === dir) throw err
      continue
    }
    if (!info.isDirectory()) throw notADirectory(dir)
    try {
      await access(dir, constants.W_OK)
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_PERMISSION, `The folder ${dir} cannot be written (${(err as NodeJS.ErrnoException).code ?? 'denied'}).`, { cause: err })
    }
    return dir === path ? { exists: true } : { exists: false, createdIn: dir }
  }
}
