import type { ListObjectsV2CommandOutput } from '@aws-sdk/client-s3'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { isAddressable, type StorageEntry, type StorageListing } from '../base'

/**
 * One page of a "folder" of a bucket, sorted by name, from ListObjectsV2 with Delimiter "/".
 *
 * S3 lists in UTF-8 byte order of keys, and a folder's key is its name plus "/". So a folder "a" comes
 * after "a-b" and "a.txt" in S3's order but before them in name order: a page cannot simply be cut from
 * S3's order. Entries are gathered until no entry not yet seen can sort before the page's last one (see
 * settled()), sorted by name (UTF-8 byte order, i.e. code point order, which is S3's own, so a cursor
 * never skips or repeats across pages; it differs from JavaScript's code unit order only between
 * characters above U+FFFF and U+E000–U+FFFF), and cut. At most limit + 1 entries are held at once.
 */
export interface FolderQuery {
  /** The key prefix of the folder, "/"-terminated ("root/photos/"), or the storage prefix for the root. */
  keyPrefix: string
  /** What entry names start with: the folder's name plus "/" ("photos/"), "" for the root. */
  namePrefix: string
  cursor: string | null
  limit: number
}

export type ListPage = (request: { StartAfter?: string; ContinuationToken?: string }) => Promise<Pick<ListObjectsV2CommandOutput, 'Contents' | 'CommonPrefixes' | 'IsTruncated' | 'NextContinuationToken'>>

interface Candidate {
  /** The name inside the folder (no "/"). */
  rel: string
  bytes: Buffer
  entry: StorageEntry
}

export async function listFolderPage(listPage: ListPage, query: FolderQuery): Promise<StorageListing> {
  const { keyPrefix, namePrefix, limit } = query
  const after = query.cursor === null ? null : decodeCursor(query.cursor, namePrefix)
  const found = new Map<string, Candidate>()
  let sorted: Candidate[]
  let frontier: Buffer = Buffer.alloc(0)
  let token: string | undefined
  for (;;) {
    const page = await listPage(token ? { ContinuationToken: token } : after ? { StartAfter: keyPrefix + after.rel } : {})
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? ''
      frontier = maxBytes(frontier, key)
      const rel = key.slice(keyPrefix.length)
      if (!isShowable(rel, namePrefix)) continue // the folder's own marker ("photos/"), or a key no name can address
      add(found, after, rel, { name: namePrefix + rel, type: 'file', size: object.Size ?? 0, ...(object.LastModified ? { modified: object.LastModified.toISOString() } : {}), ...(object.ETag ? { etag: object.ETag } : {}) })
    }
    for (const common of page.CommonPrefixes ?? []) {
      const prefix = common.Prefix ?? ''
      frontier = maxBytes(frontier, prefix)
      const rel = prefix.slice(keyPrefix.length, -1)
      if (isShowable(rel, namePrefix)) add(found, after, rel, { name: namePrefix + rel, type: 'dir' })
    }
    sorted = [...found.values()].sort(byName).slice(0, limit + 1)
    found.clear()
    for (const c of sorted) found.set(identity(c.entry.type, c.rel), c)
    token = page.IsTruncated ? page.NextContinuationToken : undefined
    if (!token) break
    const last = sorted[limit - 1]
    if (sorted.length > limit && last && settled(last.rel, keyPrefix, frontier)) break
  }
  const entries = sorted.slice(0, limit)
  const last = entries.at(-1)
  return { entries: entries.map((c) => c.entry), cursor: sorted.length > limit && last ? encodeCursor(last.entry.type, last.entry.name) : null }
}

/**
 * Whether every entry sorting before `rel` has been seen, once S3 has listed every key up to `frontier`.
 * A file sorts by its key, so it was seen if it sorts before. A folder D sorts by D but S3 lists it as
 * "D/": it can still be ahead only if D is a beginning of `rel` followed by a character below "/" (" ",
 * "-", "."…); the shortest such beginning is listed last ("a/" after "a.b/" after "a.b.c"), so it decides.
 */
function settled(rel: string, keyPrefix: string, frontier: Buffer): boolean {
  const cut = rel.search(/[\u0020-\u002e]/)
  const needed = cut === -1 ? keyPrefix + rel : keyPrefix + rel.slice(0, cut) + '/'
  return Buffer.compare(Buffer.from(needed), frontier) <= 0
}

function add(found: Map<string, Candidate>, after: { type: 'file' | 'dir'; rel: string; bytes: Buffer } | null, rel: string, entry: StorageEntry): void {
  const candidate: Candidate = { rel, bytes: Buffer.from(rel), entry }
  if (after && byName(candidate, { ...after, entry: { name: '', type: after.type } }) <= 0) return
  found.set(identity(entry.type, rel), candidate)
}

/** By name in byte order; a file and a folder of the same name (keys "a" and "a/…"), the file first. */
function byName(a: Candidate, b: Candidate): number {
  return Buffer.compare(a.bytes, b.bytes) || (a.entry.type === b.entry.type ? 0 : a.entry.type === 'file' ? -1 : 1)
}

function identity(type: 'file' | 'dir', rel: string): string {
  return `${type === 'file' ? 'f' : 'd'}:${rel}`
}

/**
 * A key part that is a name: not empty ("a//b", the folder marker), and one a name addresses exactly
 * (not ".", "..", "a\\b", a control character), so acting on the listed name acts on this key.
 */
function isShowable(rel: string, namePrefix: string): boolean {
  return rel !== '' && !rel.includes('/') && isAddressable(namePrefix + rel)
}

function maxBytes(current: Buffer, key: string): Buffer {
  const bytes = Buffer.from(key)
  return Buffer.compare(bytes, current) > 0 ? bytes : current
}

/** The cursor is the last entry shown: its type and full name (so a cursor knows its folder), opaque to the caller. */
function encodeCursor(type: 'file' | 'dir', name: string): string {
  return `${type === 'file' ? 'f' : 'd'}:${name}`
}

/** null for a cursor from another folder: the listing starts from the top, as on every engine. */
function decodeCursor(cursor: string, namePrefix: string): { type: 'file' | 'dir'; rel: string; bytes: Buffer } | null {
  const match = /^([fd]):(.+)$/s.exec(cursor)
  if (!match?.[2]) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The listing cursor is not one this storage gave.', { hint: 'Start the listing again without a cursor.' })
  const rel = match[2].slice(namePrefix.length)
  if (!match[2].startsWith(namePrefix) || rel === '' || rel.includes('/')) return null
  return { type: match[1] === 'f' ? 'file' : 'dir', rel, bytes: Buffer.from(rel) }
}
