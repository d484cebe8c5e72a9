import { constants, existsSync } from 'node:fs'
import { link, open, rename, rm, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'
import { NameTakenError, type ExclusiveWrite } from './base'
import { isTempName, newTempName } from './temp-names'

/**
 * How the filesystem engine writes a file without anyone ever seeing half of it: the bytes go to a
 * hidden temporary file beside the target, which is then committed under the final name in one step.
 */

/** A temporary file in the target's folder (same file system, so the commit is a rename). */
export function tempPathFor(path: string): string {
  return join(dirname(path), newTempName())
}

/** A write in progress (or left by a crash): never listed, stat'ed, opened or written by name. */
export { isTempName }

/**
 * A path that reopens what a descriptor has open (Linux), so a copy or listing works on the file that
 * was checked rather than on a name whose folders may have been swapped for links since.
 */
export function descriptorPath(fd: number): string | null {
  const path = `/proc/self/fd/${fd}`
  return process.platform === 'linux' && existsSync(path) ? path : null
}

/**
 * Gives a finished temporary file its final name. Exclusive: a hard link, which fails if the name is
 * taken (no window in which two writers both see it free), then asks `nextName` for another; otherwise
 * a rename, which replaces the old file in one step. The temporary file is gone afterwards either way.
 */
export async function commitTemp(temp: string, path: string, name: string, options: ExclusiveWrite & { pathOf: (name: string) => Promise<string> }): Promise<string> {
  try {
    if (!options.exclusive) {
      await rename(temp, path)
      return name
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await commitExclusive(temp, path)
        return name
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        if (!options.nextName || attempt >= 100) throw new NameTakenError(name)
        name = await options.nextName()
        path = await options.pathOf(name)
      }
    }
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
}

/**
 * link() then unlink(); or, where the file system has no hard links (FAT, some network mounts), an
 * empty file created exclusively to claim the name and then replaced by a rename: the name shows an
 * empty file for a moment, never a partial one.
 */
async function commitExclusive(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw err
    const claim = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW)
    await claim.close()
    await rename(temp, path)
    return
  }
  await unlink(temp)
}

/** What the OS said, as a typed error that names the file in the storage's terms, not the temp path. */
export function osError(err: unknown, name: string): BackplaneError {
  if (err instanceof BackplaneError) return err
  const code = (err as NodeJS.ErrnoException | null)?.code
  const typed = toBackplaneError(err)
  // A fault of ours (no OS code) stays as it is; an OS error, even one with no typed code (EIO), is told in the storage's terms.
  if (typed.code === ErrorCode.E_INTERNAL && !code) return typed
  if (code === 'ENOENT') return new BackplaneError(ErrorCode.E_NOT_FOUND, `"${name}" does not exist.`, { hint: 'It may have been moved or deleted: reload the folder.', cause: err })
  // The OS's own message names the absolute path on this computer: only the storage's name is shown.
  const said = OS_MESSAGES[code ?? ''] ?? (code ? `the operating system said ${code}.` : typed.message)
  return new BackplaneError(typed.code as ErrorCode, `"${name}": ${said}`, { hint: typed.hint, cause: err })
}

const OS_MESSAGES: Record<string, string> = {
  ENOSPC: 'the disk is full.',
  EDQUOT: 'the disk quota is used up.',
  EACCES: 'the operating system refused access (permissions).',
  EPERM: 'the operating system refused the operation.',
  EROFS: 'the file system is read-only.',
  ENOTDIR: 'a part of the path is a file, not a folder.',
  EISDIR: 'it is a folder, not a file.',
  ENAMETOOLONG: 'the name is too long for the file system.',
  ELOOP: 'the path has too many symbolic links, or a link where none may be.',
  ENXIO: 'it is a socket or device, which cannot be opened as a file.',
  ENODEV: 'it is a socket or device, which cannot be opened as a file.',
}

/** A name the OS cannot look up at all (a part over 255 bytes, links nested too deep): nothing is there by that name. */
export function isUnreachableName(err: unknown): boolean {
  const code = ((err instanceof BackplaneError ? err.cause : err) as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENAMETOOLONG' || code === 'ELOOP'
}
