import { baseName, normalizeName, splitName, type Storage, type StorageEntry } from '../../backends/storage'
import { BackplaneError, ErrorCode } from '../../core/errors'

const PAGE = 500
/**
 * Folders nested deeper than this stop a walk with a typed error: no real tree is that deep (a path of
 * 256 one-letter folders is already 512 characters), while a link that leads back up, or a custom
 * engine that lists a folder inside itself, would otherwise walk until the names are too long.
 */
export const MAX_WALK_DEPTH = 256

export interface WalkOptions {
  signal?: AbortSignal | undefined
  /**
   * An entry no Backplane name can address (a backslash, a line break: names other programs wrote) is
   * left out of the walk and reported here, so one such file does not break the count, zip or copy of
   * its whole folder; the caller says how many were left.
   */
  onSkipped?: ((name: string) => void) | undefined
}

/**
 * The names a transfer starts from, cleaned: normalised (a climbing or control-character name is the
 * engine's typed refusal), without repeats, and without names inside another named folder (selecting
 * "a" and "a/b" copies "a/b" once, as part of "a"). Each name's own ancestors are looked up in a set, so
 * 10,000 names cost 10,000 look-ups per level, not 10,000².
 */
export function topNames(names: readonly string[]): string[] {
  const unique = [...new Set(names.map((n) => normalizeName(n)))]
  if (unique.includes('')) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The storage root cannot be transferred as a whole.', { hint: 'Select the files and folders in it instead.' })
  const chosen = new Set(unique)
  return unique.filter((n) => !hasAncestorIn(n, chosen))
}

function hasAncestorIn(name: string, names: ReadonlySet<string>): boolean {
  for (let slash = name.indexOf('/'); slash !== -1; slash = name.indexOf('/', slash + 1)) if (names.has(name.slice(0, slash))) return true
  return false
}

/**
 * Everything under a folder, page by page and depth first, so a walk holds one page per level and never
 * a whole tree. An engine that lists an entry outside the folder it was asked for would loop for ever;
 * that is its fault, reported as such.
 */
export async function* walkFolder(storage: Storage, dir: string, options: WalkOptions = {}, depth = 1): AsyncGenerator<StorageEntry> {
  if (depth > MAX_WALK_DEPTH) {
    throw new BackplaneError(ErrorCode.E_TOO_LARGE, `"${dir.slice(0, 200)}…" lies more than ${MAX_WALK_DEPTH} folders deep; the walk stopped there.`, {
      hint: 'A link that leads back up to its own folder makes a tree endless: remove it, or pick the folders inside one by one.',
    })
  }
  const prefix = dir === '' ? '' : dir + '/'
  let cursor: string | null = null
  do {
    options.signal?.throwIfAborted()
    const page: Awaited<ReturnType<Storage['list']>> = await storage.list(dir, { cursor, limit: PAGE })
    for (const entry of page.entries) {
      if (!entry.name.startsWith(prefix) || entry.name.length <= prefix.length) {
        throw new BackplaneError(ErrorCode.E_ENGINE_OUTPUT, `Listing "${dir}" gave "${entry.name}", which is not inside it.`, { hint: 'The engine lists folders wrongly; its author can tell why.' })
      }
      if (!isCleanName(entry.name)) {
        options.onSkipped?.(entry.name)
        continue
      }
      yield entry
      if (entry.type === 'dir') yield* walkFolder(storage, entry.name, options, depth + 1)
    }
    cursor = page.cursor
  } while (cursor !== null)
}

/** A name Backplane can ask for again: normalizeName keeps it as it is. */
function isCleanName(name: string): boolean {
  try {
    return normalizeName(name) === name
  } catch {
    return false
  }
}

/** Each named entry, then everything under it if it is a folder. A name that does not exist is E_NOT_FOUND. */
export async function* walkNames(storage: Storage, names: readonly string[], options: WalkOptions = {}): AsyncGenerator<StorageEntry> {
  for (const name of names) {
    const entry = await storage.stat(name)
    yield entry
    if (entry.type === 'dir') yield* walkFolder(storage, entry.name, options)
  }
}

export interface TreeSummary {
  files: number
  folders: number
  bytes: number
  truncated: boolean
  /** Entries left out because no name can address them (WalkOptions.onSkipped); not in the API's answer. */
  skipped: number
}

/** What a delete or copy would touch, counting at most `limit` entries (a bucket may hold millions). */
export async function summarize(storage: Storage, names: readonly string[], limit: number, signal?: AbortSignal): Promise<TreeSummary> {
  const summary: TreeSummary = { files: 0, folders: 0, bytes: 0, truncated: false, skipped: 0 }
  let seen = 0
  for await (const entry of walkNames(storage, names, { signal, onSkipped: () => summary.skipped++ })) {
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

/** Where a top name lands under `folder`: its own base name there. */
export function placeUnder(folder: string, top: string): string {
  return (folder ? folder + '/' : '') + baseName(top)
}
