import { closeSync, constants, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs'
import { access, mkdir, open, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { BackplaneError, ErrorCode } from './errors'

/**
 * `mkdir -p`, one level at a time. Node's own `{ recursive: true }` never returns for a path under
 * /proc (the promise never settles, mkdirSync spins forever): a storage or mail folder typed as
 * "/proc/nope" hung a health check and would freeze the event loop. Here each level is created
 * plainly, so an impossible path fails with a typed error at once. A `mode` is given exactly to every
 * folder created, whatever the umask (as Django's makedirs with the umask set to 0).
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
    if (mode !== undefined) await chmodCreated(dir, mode)
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
    if (mode !== undefined) chmodCreatedSync(dir, mode)
  }
}

/**
 * mkdir's mode is narrowed by the umask; the folder just made gets the mode itself, through a descriptor
 * opened without following a link, so a folder swapped for a link meanwhile does not pass the chmod on.
 */
async function chmodCreated(dir: string, mode: number): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW)
    try {
      await handle.chmod(mode)
    } finally {
      await handle.close()
    }
  } catch (err) {
    throw cannotCreate(dir, err)
  }
}

function chmodCreatedSync(dir: string, mode: number): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW)
    try {
      fchmodSync(fd, mode)
    } finally {
      closeSync(fd)
    }
  } catch (err) {
    throw cannotCreate(dir, err)
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
