import type { FileEntryWithStats, Stats } from 'ssh2'
import type { StorageEntry } from '../base'
import { isTempName } from '../temp-names'

/** A folder's names as read, sorted, and the attributes the server gave each (links not followed). */
export interface FolderRead {
  names: string[]
  attrs: Map<string, Stats>
}

/** How long a folder read for its first page serves the pages after it. */
const KEEP_MS = 30_000
const KEEP_FOLDERS = 8

/**
 * SFTP lists a folder only whole (READDIR has no order and no offset), so a 100,000-entry folder costs
 * seconds per read. The first page of a folder reads it; the pages after it (a cursor given) come from
 * that read for a while, unless this storage changed something meanwhile. A first page always reads
 * again, so a reload shows what others changed on the server.
 */
export class FolderReads {
  private readonly folders = new Map<string, { at: number; read: FolderRead }>()

  /** The entries of `real`: read again for a first page, else from an earlier read if recent. */
  async get(real: string, firstPage: boolean, read: () => Promise<FolderRead>): Promise<FolderRead> {
    const kept = this.folders.get(real)
    if (!firstPage && kept && Date.now() - kept.at < KEEP_MS) return kept.read
    const fresh = await read()
    this.folders.delete(real)
    this.folders.set(real, { at: Date.now(), read: fresh })
    // The oldest read goes first (a Map keeps insertion order).
    for (const key of this.folders.keys()) if (this.folders.size > KEEP_FOLDERS) this.folders.delete(key)
    return fresh
  }

  /** Forgets every read: this storage wrote, renamed or deleted something. */
  changed(): void {
    this.folders.clear()
  }
}


/** A folder as READDIR gave it: names sorted (code unit order, as the base's paging), temporary files left out. */
export function readFolder(listed: FileEntryWithStats[]): FolderRead {
  const attrs = new Map<string, Stats>()
  for (const e of listed) if (e.filename !== '.' && e.filename !== '..' && !isTempName(e.filename)) attrs.set(e.filename, e.attrs)
  // The default sort compares code units, as the cursor does, and is much quicker than a comparator on 100,000 names.
  return { names: [...attrs.keys()].sort(), attrs }
}


export function entryOf(name: string, info: Stats): StorageEntry {
  const entry: StorageEntry = { name, type: info.isDirectory() ? 'dir' : 'file', modified: new Date(info.mtime * 1000).toISOString(), accessed: new Date(info.atime * 1000).toISOString() }
  if (!info.isDirectory()) entry.size = info.size
  return entry
}

