import { baseName, normalizeName, splitName, type Storage, type StorageEntry } from '../../backends/storage'
import { BackplaneError, ErrorCode } from '../../core/errors'

const PAGE = 500

/**
 * The names a transfer starts from, cleaned: normalised (a climbing or control-character name is the
 * engine's typed refusal), without repeats, and without names inside another named folder (selecting
 * "a" and "a/b" copies "a/b" once, as part of "a").
 */
export function topNames(names: readonly string[]): string[] {
  const unique = [...new Set(names.map((n) => normalizeName(n)))]
  if (unique.includes('')) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The storage root cannot be transferred as a whole.', { hint: 'Select the files and folders in it instead.' })
  return unique.filter((n) => !unique.some((other) => other !== n && n.startsWith(other + '/')))
}

/**
 * Everything under a folder, page by page and depth first, so a walk holds one page per level and never
 * a whole tree. An engine that lists an entry outside the folder it was asked for would loop for ever;
 * that is its fault, reported as such.
 */
export async function* walkFolder(storage: Storage, dir: string, signal?: AbortSignal): AsyncGenerator<StorageEntry> {
  let cursor: string | null = null
  do {
    signal?.throwIfAborted()
    const page: Awaited<ReturnType<Storage['list']>> = await storage.list(dir, { cursor, limit: PAGE })
    for (const entry of page.entries) {
      if (!entry.name.startsWith(dir === '' ? '' : dir + '/') || entry.name.length <= dir.length || !isCleanName(entry.name)) {
        throw new BackplaneError(ErrorCode.E_ENGINE_OUTPUT, `Listing "${dir}" gave "${entry.name}", which is not inside it.`, { hint: 'The engine lists folders wrongly; its author can tell why.' })
      }
      yield entry
      if (entry.type === 'dir') yield* walkFolder(storage, entry.name, signal)
    }
    cursor = page.cursor
  } while (cursor !== null)
}

function isCleanName(name: string): boolean {
  try {
    return normalizeName(name) === name
  } catch {
    return false
  }
}

/** Each named entry, then everything under it if it is a folder. A name that does not exist is E_NOT_FOUND. */
export async function* walkNames(storage: Storage, names: readonly string[], signal?: AbortSignal): AsyncGenerator<StorageEntry> {
  for (const name of names) {
    const entry = await storage.stat(name)
    yield entry
    if (entry.type === 'dir') yield* walkFolder(storage, entry.name, signal)
  }
}

export interface TreeSummary {
  files: number
  folders: number
  bytes: number
  truncated: boolean
}

/** What a delete or copy would touch, counting at most `limit` entries (a bucket may hold millions). */
export async function summarize(storage: Storage, names: readonly string[], limit: number, signal?: AbortSignal): Promise<TreeSummary> {
  const summary: TreeSummary = { files: 0, folders: 0, bytes: 0, truncated: false }
  let seen = 0
  for await (const entry of walkNames(storage, names, signal)) {
    if (++seen > limit) {
      summary.truncated = true
      break
    }
    if (entry.type === 'dir') summary.folders++
    else {
      summary.files++
      summary.bytes += entry.size ?? 0
    }
  }
  return summary
}

/** The folder all names share ("a/b" for "a/b/c" and "a/b/d/e"), '' when they share none. */
export function commonFolder(names: readonly string[]): string {
  const parents = names.map((n) => splitName(n).dir.replace(/\/$/, '').split('/').filter(Boolean))
  const first = parents[0] ?? []
  let depth = 0
  while (depth < first.length && parents.every((p) => p[depth] === first[depth])) depth++
  return first.slice(0, depth).join('/')
}

/** Where an entry walked from `top` lands under `folder`: the top's own name, then the rest of the path. */
export function placeUnder(folder: string, top: string, entryName: string): string {
  const rest = entryName.slice(top.length)
  return (folder ? folder + '/' : '') + baseName(top) + rest
}
