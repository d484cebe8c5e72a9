import type { CacheEntry } from './cache-entry'

/** A folder of the tree: the keys that share the parts before it, split on ':' as Redis tools do. */
export interface KeyFolder {
  kind: 'folder'
  id: string
  /** The folder's own part ("session"), without the separator. */
  name: string
  depth: number
  /** Keys under it, at any depth: shown beside the name. */
  count: number
}

export interface KeyLeaf {
  kind: 'key'
  id: string
  /** The part after the last ':' ("42" of "session:42"). */
  name: string
  depth: number
  entry: CacheEntry
}

export type KeyTreeRow = KeyFolder | KeyLeaf

const SEPARATOR = ':'

interface Folder {
  folders: Map<string, Folder>
  keys: CacheEntry[]
  count: number
}

const emptyFolder = (): Folder => ({ folders: new Map(), keys: [], count: 0 })

/** The name a key goes by in the browser: the application's key when it has one (unless stored keys are asked for), else as stored. */
export function shownKey(entry: CacheEntry, stored = false): string {
  return stored ? entry.key : (entry.userKey ?? entry.key)
}

/**
 * The visible rows of the key tree: folders first, then keys, each sorted; a folder's rows only when it
 * is open. Folder ids are the path with a trailing ':' so they never clash with a key of the same name.
 */
export function keyTreeRows(entries: readonly CacheEntry[], open: ReadonlySet<string>, stored = false): KeyTreeRow[] {
  const root = emptyFolder()
  for (const entry of entries) {
    const parts = shownKey(entry, stored).split(SEPARATOR)
    let folder = root
    folder.count += 1
    for (const part of parts.slice(0, -1)) {
      let child = folder.folders.get(part)
      if (!child) {
        child = emptyFolder()
        folder.folders.set(part, child)
      }
      child.count += 1
      folder = child
    }
    folder.keys.push(entry)
  }
  const rows: KeyTreeRow[] = []
  const walk = (folder: Folder, path: string, depth: number) => {
    for (const name of [...folder.folders.keys()].sort()) {
      const child = folder.folders.get(name)!
      const id = `${path}${name}${SEPARATOR}`
      rows.push({ kind: 'folder', id, name, depth, count: child.count })
      if (open.has(id)) walk(child, id, depth + 1)
    }
    const keys = [...folder.keys].sort((a, b) => compare(shownKey(a, stored), shownKey(b, stored)))
    for (const entry of keys) {
      const parts = shownKey(entry, stored).split(SEPARATOR)
      rows.push({ kind: 'key', id: entry.key, name: parts.at(-1) || '(empty)', depth, entry })
    }
  }
  walk(root, '', 0)
  return rows
}

/** The folder a row sits in (for ArrowLeft), or -1 at the top. */
export function parentRowIndex(rows: readonly KeyTreeRow[], index: number): number {
  const depth = rows[index]?.depth ?? 0
  for (let i = index - 1; i >= 0; i -= 1) if (rows[i]!.depth < depth) return i
  return -1
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
