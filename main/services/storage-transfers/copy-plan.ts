import { baseName, normalizeName, type Storage } from '../../backends/storage'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { placeUnder, topNames } from './tree-walk'

export type Conflict = 'rename' | 'overwrite' | 'fail'

export interface CopyRequest {
  kind: 'copy' | 'move'
  from: { alias: string; names: string[] }
  to: { alias: string; folder: string }
  conflict: Conflict
}

/** One named file or folder and where it lands. */
export interface CopyItem {
  name: string
  to: string
  /** The target is the source itself (one alias, or two on one place): a copy there needs a free name. */
  ontoItself: boolean
}

export interface CopyPlan {
  kind: 'copy' | 'move'
  /** Both ends share one root (one alias, or two aliases on one folder): a name means the same file on both. */
  sameRoot: boolean
  folder: string
  conflict: Conflict
  items: CopyItem[]
}

/**
 * What a copy or move will do, decided at the call so that what can be refused is an answer, not a
 * transfer failing in the panel: every name exists; nothing goes into itself (through either alias:
 * two aliases on one folder, or one inside the other, share files, which Storage.rootPlace() tells);
 * no two names land on one target (a move would overwrite one with the other); a name moved onto
 * itself is left where it is (a no-op, never a delete).
 */
export async function planCopy(request: CopyRequest, source: Storage, target: Storage): Promise<CopyPlan> {
  const names = topNames(request.from.names)
  const folder = normalizeName(request.to.folder)
  const [sourceRoot, targetRoot] = request.from.alias === request.to.alias ? ['', ''] : await Promise.all([source.rootPlace(), target.rootPlace()])
  const sameRoot = request.from.alias === request.to.alias || placeOf(sourceRoot, '') === placeOf(targetRoot, '')
  const folderPlace = placeOf(targetRoot, folder)
  refuseSharedTargets(request, names)
  const items: CopyItem[] = []
  for (const name of names) {
    const namePlace = placeOf(sourceRoot, name)
    if (folderPlace === namePlace || folderPlace.startsWith(namePlace + '/')) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${request.to.alias}:${folder || '/'}" is inside "${request.from.alias}:${name}".`, {
        hint: 'Choose a folder outside the one being copied or moved.',
      })
    }
    // Every name must exist now: a mistyped one is E_NOT_FOUND at the call.
    await source.stat(name)
    const to = placeUnder(folder, name)
    const ontoItself = placeOf(targetRoot, to) === namePlace
    if (ontoItself && request.kind === 'copy' && request.conflict === 'fail') {
      throw new BackplaneError(ErrorCode.E_EXISTS, `"${to}" already exists: it is "${name}" itself.`, { hint: 'Choose another folder, or let the copy be renamed.' })
    }
    // Moved onto itself, or replaced by its own bytes: nothing to do, and nothing to delete.
    if (ontoItself && (request.kind === 'move' || request.conflict === 'overwrite')) continue
    items.push({ name, to, ontoItself })
  }
  return { kind: request.kind, sameRoot, folder, conflict: request.conflict, items }
}

/**
 * "a/x.txt" and "b/x.txt" into one folder: a move would replace one with the other (a's bytes gone), and
 * so would a copy with overwrite; a copy under "rename" keeps both (x.txt and x_abc1234.txt).
 */
function refuseSharedTargets(request: CopyRequest, names: readonly string[]): void {
  if (request.kind === 'copy' && request.conflict === 'rename') return
  const seen = new Map<string, string>()
  for (const name of names) {
    const other = seen.get(baseName(name))
    if (other !== undefined) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${other}" and "${name}" would both land on "${baseName(name)}".`, {
        hint: 'Move them one at a time, into different folders, or copy them with conflict "rename".',
      })
    }
    seen.set(baseName(name), name)
  }
}

/**
 * Where a name is, as one comparable string: its alias's root place (percent-decoded, so two spellings
 * of one folder compare equal) and the name under it. Within one alias the root is ''.
 */
function placeOf(root: string, name: string): string {
  let decoded = root
  try {
    decoded = decodeURIComponent(root)
  } catch {
    // Not percent-encoding after all: compared as it is.
  }
  decoded = decoded.replace(/\/+$/, '')
  return name ? `${decoded}/${name}` : decoded
}
