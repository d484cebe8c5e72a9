import { splitName, type Storage, type StorageEntry } from '../../backends/storage'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { CopyItem, CopyPlan } from './copy-plan'
export type { Conflict } from './copy-plan'
import { metered } from './metered'
import type { Transfer } from './transfer'
import { summarize, walkNames } from './tree-walk'

export interface CopyJob extends CopyPlan {
  source: Storage
  /** The source itself when both ends share a root (CopyPlan.sameRoot). */
  target: Storage
}

/** Counting stops here: a bigger tree is copied all the same, with its totals unknown. */
const COUNT_LIMIT = 100_000

/**
 * Files and folders into a folder, file by file: each file streamed from one engine into the other with
 * the transfer's signal (a cancelled or failed file leaves nothing under its name; the files finished
 * before it stay), folders created as they are reached (a folder that exists already is merged into),
 * the conflict policy applied to each file. Within one root a move is the engine's own move of each
 * name; across roots each file is deleted right after its copy is whole, and a folder only once it is
 * empty, so a file written into the source meanwhile stays (moved or left, never deleted uncopied).
 */
export async function runCopy(job: CopyJob, transfer: Transfer): Promise<void> {
  const names = job.items.map((item) => item.name)
  const totals = await summarize(job.source, names, COUNT_LIMIT, transfer.signal)
  transfer.setTotals(totals.truncated ? null : totals.bytes, totals.truncated ? null : totals.files)
  if (job.kind === 'move' && job.sameRoot) return moveWithin(job, transfer)
  for (const item of job.items) await copyItem(job, item, transfer)
}

async function moveWithin(job: CopyJob, transfer: Transfer): Promise<void> {
  for (const { name, to } of job.items) {
    transfer.signal.throwIfAborted()
    transfer.fileStarted(name)
    const entry = await job.source.stat(name)
    const free = job.conflict === 'rename' ? await job.target.getAvailableName(to) : to
    await job.source.move(name, free, { overwrite: job.conflict === 'overwrite', signal: transfer.signal })
    const counted = entry.type === 'file' ? { files: 1, bytes: entry.size ?? 0 } : await summarize(job.target, [free], COUNT_LIMIT, transfer.signal)
    transfer.progress(counted.bytes)
    for (let i = 0; i < counted.files; i++) transfer.fileDone()
  }
}

/**
 * One named file or folder, walked and copied. Onto itself (a copy into its own folder), the top item
 * takes Django's next free name on the target first, as Finder's Duplicate does: the copy then never
 * writes inside the tree it walks, so it cannot copy its own output.
 */
async function copyItem(job: CopyJob, item: CopyItem, transfer: Transfer): Promise<void> {
  const top = item.ontoItself ? await job.target.getAvailableName(item.to) : item.to
  const moving = job.kind === 'move'
  const folders: string[] = []
  for await (const entry of walkNames(job.source, [item.name], { signal: transfer.signal, onSkipped: () => transfer.skipped() })) {
    transfer.signal.throwIfAborted()
    const to = top + entry.name.slice(item.name.length)
    if (entry.type === 'dir') {
      await job.target.makeFolder(to)
      if (moving) folders.push(entry.name)
      continue
    }
    await copyFile(job, entry, to, transfer)
    // A cancel that came while the file was copied stops the move before its delete.
    transfer.signal.throwIfAborted()
    if (moving) await job.source.delete(entry.name)
  }
  // Deepest first (the walk listed each folder before what is in it); one holding a file the walk never
  // saw (written meanwhile, an upload in progress, or a name it skipped) stays: the engine removes a
  // folder only while it is empty.
  for (const folder of folders.reverse()) {
    transfer.signal.throwIfAborted()
    await job.source.removeFolderIfEmpty(folder)
  }
}

async function copyFile(job: CopyJob, entry: StorageEntry, to: string, transfer: Transfer): Promise<void> {
  transfer.fileStarted(entry.name)
  let counted = 0
  try {
    if (job.sameRoot) {
      // The engine's own copy (the OS's copy_file_range, S3's CopyObject): progress moves a file at a time.
      await copyWithin(job, entry.name, to, transfer.signal)
      counted = entry.size ?? 0
      transfer.progress(counted)
    } else {
      const source = await job.source.open(entry.name, { signal: transfer.signal })
      const bytes = metered(source, (n) => {
        counted += n
        transfer.progress(n)
      })
      const options = { signal: transfer.signal, ...(entry.size !== undefined ? { size: entry.size } : {}), ...(entry.contentType ? { contentType: entry.contentType } : {}) }
      if (job.conflict === 'rename') await job.target.save(to, bytes, options)
      else await job.target.put(to, bytes, { ...options, overwrite: job.conflict === 'overwrite' })
    }
  } catch (err) {
    transfer.meter.undo(counted)
    throw err
  }
  transfer.fileDone()
}

const FREE_NAME_ATTEMPTS = 10

/** A copy inside one root; under "rename", onto Django's next free name, again if another writer took it first. */
async function copyWithin(job: CopyJob, from: string, to: string, signal: AbortSignal): Promise<void> {
  if (job.conflict !== 'rename') return job.source.copy(from, to, { overwrite: job.conflict === 'overwrite', signal })
  for (let attempt = 1; ; attempt++) {
    try {
      return await job.source.copy(from, await job.source.getAvailableName(to), { signal })
    } catch (err) {
      if (!(err instanceof BackplaneError && err.code === ErrorCode.E_EXISTS) || attempt === FREE_NAME_ATTEMPTS) throw err
    }
  }
}

/** "a/b/c.txt" into "x" is "x/c.txt": the label the panel shows. */
export function copyLabel(kind: 'copy' | 'move', names: readonly string[], toAlias: string, folder: string): string {
  const what = names.length === 1 ? splitName(names[0]!).file || names[0]! : `${names.length} items`
  return `${kind === 'move' ? 'Move' : 'Copy'} ${what} → ${toAlias}:${folder ? folder + '/' : '/'}`
}
