import { realpath } from 'node:fs/promises'
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
  async path(name: string, { forWrite = false, forDelete = false }: { forWrite?: boolean; forDelete?: boolean } = {}): Promise<string> {
    const path = join(this.root, ...normalizeName(name).split('/'))
    // The root is resolved on every call: it may be created, or replaced by a link, after the alias is.
    const [root, dataDir, real] = await Promise.all([realPathOf(this.root), (this.realDataDir ??= realPathOf(this.dataDir)), realPathOf(path)])
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
    return path
  }

}

/** realpath of the deepest part that exists, with the rest appended: where the path would be created. */
async function realPathOf(path: string): Promise<string> {
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
