import { constants } from 'node:fs'
import { open, readlink, realpath } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { isInside, isReservedPath } from '../../core/data-dir'
import { writeProtectedFolders } from '../../core/protected-paths'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { normalizeName, splitName } from './names'
import { osError } from './local-files'

/**
 * A folder on this computer that a storage alias serves, and the rule for every name in it: it must
 * resolve — symlinks followed, including one planted inside the root by someone else — to a place inside
 * the root, and never into Backplane's own data directory (settings, secrets, the trust list, the outbox),
 * whatever the root is: a root of $HOME does not reach them. The default storage folder (files/) is the
 * one part of the data directory allowed.
 */
export class LocalRoot {
  private realDataDir: Promise<string> | undefined

  constructor(
    readonly root: string,
    private readonly dataDir: string,
  ) {}

  /**
   * The path of a name, checked. `forWrite` also refuses Backplane's own code and the folders of trusted
   * engine modules; `forDelete` refuses those too, and a folder that holds any of them or the data
   * directory, since deleting it would take them along.
   */
  async path(name: string, access: Access = {}): Promise<string> {
    return (await this.resolve(name, access)).path
  }

  /** The path of a name and where it really leads (links followed), both checked. */
  async resolve(name: string, access: Access = {}): Promise<{ path: string; real: string }> {
    const path = join(this.root, ...normalizeName(name).split('/'))
    // A part over 255 bytes or links nested too deep: E_INVALID_NAME naming the storage's name, not this computer's path.
    const real = await realPathOf(path).catch((err: unknown) => {
      throw osError(err, name)
    })
    await this.assertAllowed(real, name, access)
    return { path, real }
  }

  /**
   * The folder holding `name`, opened and checked for where it really is (its links followed, as for
   * any name), with the entry reached through the folder's descriptor (Linux: `/proc/self/fd/<fd>/<file>`):
   * whatever is swapped for a link after the check, what is stat'ed, renamed or deleted is the entry of
   * the folder that was checked. The entry itself is not followed (a link is acted on as the link).
   * Off Linux, the path of the name, as checked. null when the folder does not exist.
   */
  async openParent(name: string, access: Access = {}): Promise<OpenedFolder | null> {
    const { dir, file } = splitName(normalizeName(name))
    if (file === '') throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The storage root has no folder around it.')
    const folder = join(this.root, ...dir.split('/').filter(Boolean))
    let handle
    try {
      handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return null
      throw osError(err, name)
    }
    try {
      const realFolder = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null)
      if (realFolder === null) return { entry: (f = file) => join(folder, f), real: join(folder, file), close: () => handle.close() }
      await this.assertAllowed(join(realFolder, file), name, access)
      const fd = handle.fd
      return { entry: (f = file) => `/proc/self/fd/${fd}/${f}`, real: join(realFolder, file), close: () => handle.close() }
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  /** Checks a real path found by following an entry (a link's target). */
  async assertReal(real: string, name: string, access: Access = {}): Promise<void> {
    await this.assertAllowed(real, name, access)
  }

  /**
   * Checks the file a handle really has open (Linux: /proc/self/fd), closing the race in which a name is
   * checked, then a link is swapped in before it is opened. Elsewhere the check of the name stands alone.
   */
  async assertOpened(fd: number, name: string, access: Access = {}): Promise<void> {
    let real: string
    try {
      real = await readlink(`/proc/self/fd/${fd}`)
    } catch {
      return
    }
    await this.assertAllowed(real, name, access)
  }

  private async assertAllowed(real: string, name: string, { forWrite = false, forDelete = false }: Access): Promise<void> {
    // The root is resolved on every call: it may be created, or replaced by a link, after the alias is.
    const [root, dataDir] = await Promise.all([realPathOf(this.root), (this.realDataDir ??= realPathOf(this.dataDir))])
    if (!isInside(root, real)) {
      throw new BackplaneError(ErrorCode.E_PATH_OUTSIDE_ROOT, `"${name}" leads outside ${this.root} (through a symbolic link).`, {
        hint: 'Links that point out of the storage folder are not followed; use a name inside it.',
      })
    }
    if (isReservedPath(dataDir, real) || (forDelete && isInside(real, dataDir))) {
      throw new BackplaneError(ErrorCode.E_RESERVED_PATH, `"${name}" is part of Backplane's own data (${dataDir}), which no storage alias may read or change.`, {
        hint: `Point the alias at a folder outside ${dataDir}, or use its files/ folder.`,
      })
    }
    if (forWrite || forDelete) {
      for (const folder of await writeProtectedFolders(this.dataDir)) {
        if (isInside(folder, real) || (forDelete && isInside(real, folder))) {
          throw new BackplaneError(ErrorCode.E_RESERVED_PATH, `"${name}" is in ${folder}, where Backplane's own code or a trusted engine's lives; no storage alias may change it.`, {
            hint: 'Storage aliases may read there but not write; copy what you need elsewhere.',
          })
        }
      }
    }
  }
}

/** A folder held open by its descriptor, and the entry of a name in it. */
export interface OpenedFolder {
  /** The path of the entry (or of another entry `file` of the same folder) through the folder's descriptor. */
  entry(file?: string): string
  /** Where the entry is on this computer: the folder's real path and the entry's name (not followed). */
  real: string
  close(): Promise<void>
}

export interface Access {
  /** Writing: Backplane's own code and trusted engines' folders are refused too. */
  forWrite?: boolean
  /** Deleting: those, and any folder that holds one of them or the data directory. */
  forDelete?: boolean
}

/** realpath of the deepest part that exists, with the rest appended: where the path would be created. */
export async function realPathOf(path: string): Promise<string> {
  const rest: string[] = []
  for (let current = path; ; current = dirname(current)) {
    try {
      return join(await realpath(current), ...rest.reverse())
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err
      if (dirname(current) === current) return path
      rest.push(basename(current))
    }
  }
}
