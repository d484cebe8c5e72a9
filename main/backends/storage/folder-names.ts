/**
 * The sorted names of the folders listed last, so that paging through a 100,000-entry folder reads and
 * sorts it once, not once a page. A folder's names are reused only while its identity and change times
 * are what they were, and only if it had not changed in the second before it was read: file systems
 * stamp times coarsely (ext4 to a few milliseconds), so a change right after a read could keep the same
 * time, and such a folder is read again every time (as git does with "racily clean" files).
 */
export interface FolderStamp {
  dev: bigint
  ino: bigint
  mtimeNs: bigint
  ctimeNs: bigint
}

const SETTLED_NS = 1_000_000_000n

export class FolderNames {
  private readonly folders = new Map<string, { key: string; names: string[] }>()

  constructor(private readonly keep = 4) {}

  async sorted(stamp: FolderStamp, read: () => Promise<string[]>, nowNs: bigint = BigInt(Date.now()) * 1_000_000n): Promise<string[]> {
    const id = `${stamp.dev}:${stamp.ino}`
    const key = `${stamp.mtimeNs}:${stamp.ctimeNs}`
    const known = this.folders.get(id)
    if (known?.key === key) {
      // Most recently used last, so the oldest is the one dropped.
      this.folders.delete(id)
      this.folders.set(id, known)
      return known.names
    }
    const names = (await read()).sort()
    const settled = nowNs - (stamp.mtimeNs > stamp.ctimeNs ? stamp.mtimeNs : stamp.ctimeNs) > SETTLED_NS
    this.folders.delete(id)
    if (settled) {
      this.folders.set(id, { key, names })
      if (this.folders.size > this.keep) this.folders.delete(this.folders.keys().next().value!)
    }
    return names
  }
}

/**
 * The name inside the folder that a cursor (the last full name shown, "photos/b.jpg") stands for, or null
 * to start from the top: no cursor, or one from another folder, which would otherwise skip names.
 */
export function cursorIn(cursor: string | null, prefix: string): string | null {
  if (cursor === null || !cursor.startsWith(prefix)) return null
  const name = cursor.slice(prefix.length)
  return name === '' || name.includes('/') ? null : name
}

/** The index of the first name after `cursor` in sorted names: a binary search, for a cursor deep in a large folder. */
export function firstAfter(sorted: readonly string[], cursor: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (sorted[middle]! <= cursor) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * One page of sorted names after `after` (a name of the same folder, or null for the first page), of
 * those `keep` wants if given; `last` is the cursor for the next page, null when nothing is left to look at.
 */
export function pageOfNames(sorted: readonly string[], after: string | null, limit: number, keep?: (name: string) => boolean): { names: string[]; last: string | null } {
  const start = after === null ? 0 : firstAfter(sorted, after)
  if (!keep) {
    const names = sorted.slice(start, start + limit)
    return { names, last: start + limit < sorted.length ? (names.at(-1) ?? null) : null }
  }
  const names: string[] = []
  let next = start
  for (; next < sorted.length && names.length < limit; next++) if (keep(sorted[next]!)) names.push(sorted[next]!)
  return { names, last: next < sorted.length ? (names.at(-1) ?? null) : null }
}
