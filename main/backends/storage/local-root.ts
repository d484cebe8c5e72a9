import { readlink, realpath } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { isInside, isReservedPath } from '../../core/data-dir'
import { writeProtectedFolders } from '../../core/protected-paths'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { normalizeName } from './base'

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
    const real = await realPathOf(path)
    await this.assertAllowed(real, name, access)
    return { path, real }
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

interface Access {
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
