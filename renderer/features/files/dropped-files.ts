/** What a drop or a folder picker gives: each file with its path relative to where it was dropped. */
export interface PickedFile {
  file: File
  /** "photos/2026/cat.jpg" for a file inside a dropped folder "photos"; the file's name otherwise. */
  path: string
}

export interface PickedTree {
  files: PickedFile[]
  /** Folders with nothing in them, which no upload would create. */
  emptyFolders: string[]
}

/** The parts of the File and Directory Entries API a walk needs (FileSystemEntry and kin), so tests can fake them. */
export interface DroppedEntry {
  isFile: boolean
  isDirectory: boolean
  name: string
  file?(success: (file: File) => void, failure?: (error: unknown) => void): void
  createReader?(): { readEntries(success: (entries: DroppedEntry[]) => void, failure?: (error: unknown) => void): void }
}

function fileOf(entry: DroppedEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file?.(resolve, reject))
}

/** All of a folder's entries: readEntries answers in batches (Chromium: 100) until an empty one. */
async function childrenOf(entry: DroppedEntry): Promise<DroppedEntry[]> {
  const reader = entry.createReader?.()
  if (!reader) return []
  const all: DroppedEntry[] = []
  for (;;) {
    const batch = await new Promise<DroppedEntry[]>((resolve, reject) => reader.readEntries(resolve, reject))
    if (batch.length === 0) return all
    all.push(...batch)
  }
}

/** Walks dropped files and folders into the files to upload, depth first, and the empty folders to create. */
export async function walkDropped(entries: readonly DroppedEntry[]): Promise<PickedTree> {
  const tree: PickedTree = { files: [], emptyFolders: [] }
  const visit = async (entry: DroppedEntry, prefix: string) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isFile) {
      tree.files.push({ file: await fileOf(entry), path })
    } else if (entry.isDirectory) {
      const children = await childrenOf(entry)
      if (children.length === 0) tree.emptyFolders.push(path)
      for (const child of children) await visit(child, path)
    }
  }
  for (const entry of entries) await visit(entry, '')
  return tree
}

/**
 * A drop's entries. They must be taken during the drop event itself (the list is emptied once it
 * returns), so this is synchronous and the walk comes after. Without the entries API, the plain files.
 */
export function entriesOfDrop(data: DataTransfer): { entries: DroppedEntry[]; files: File[] } {
  const entries = [...data.items].flatMap((item) => {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null
    return entry ? [entry as unknown as DroppedEntry] : []
  })
  return { entries, files: entries.length > 0 ? [] : [...data.files] }
}

/** A folder picker's files (input webkitdirectory) carry their path in webkitRelativePath. */
export function pickedFromInput(files: readonly File[]): PickedFile[] {
  return files.map((file) => ({ file, path: file.webkitRelativePath || file.name }))
}
