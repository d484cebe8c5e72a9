import { normalizeName, splitName, type Storage, type StorageEntry } from '../../backends/storage'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { metered } from './metered'
import type { Transfer } from './transfer'
import { placeUnder, summarize, topNames, walkNames } from './tree-walk'

export type Conflict = 'rename' | 'overwrite' | 'fail'

export interface CopyJob {
  kind: 'copy' | 'move'
  source: Storage
  target: Storage
  /** Both ends are the same alias: a move is a rename there, a copy may use the engine's own. */
  sameAlias: boolean
  names: string[]
  folder: string
  conflict: Conflict
}

/** Counting stops here: a bigger tree is copied all the same, with its totals unknown. */
const COUNT_LIMIT = 100_000

/**
 * Files and folders into a folder, file by file: each file streamed from one engine into the other with
 * the transfer's signal (a cancelled or failed file leaves nothing under its name; the files finished
 * before it stay), folders created as they are reached (a folder that exists already is merged into),
 * the conflict policy applied to each file. A move copies everything, then deletes the sources; within
 * one alias it is the engine's own move of each name.
 */
export async function runCopy(job: CopyJob, transfer: Transfer): Promise<void> {
  const names = topNames(job.names)
  const folder = normalizeName(job.folder)
  if (job.sameAlias) for (const name of names) refuseIntoItself(name, folder)
  const totals = await summarize(job.source, names, COUNT_LIMIT, transfer.signal)
  transfer.setTotals(totals.truncated ? null : totals.bytes, totals.truncated ? null : totals.files)
  if (job.kind === 'move' && job.sameAlias) return moveWithin(job, names, folder, transfer)
  for await (const entry of walkNames(job.source, names, transfer.signal)) {
    transfer.signal.throwIfAborted()
    const top = names.find((n) => entry.name === n || entry.name.startsWith(n + '/'))!
    const to = placeUnder(folder, top, entry.name)
    if (entry.type === 'dir') await job.target.makeFolder(to)
    else await copyFile(job, entry, to, transfer)
  }
  if (job.kind === 'move') for (const name of names) await job.source.delete(name)
}

/** "a" into "a" or "a/b" would copy itself for ever. */
export function refuseIntoItself(name: string, folder: string): void {
  if (folder === name || folder.startsWith(name + '/')) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${folder || '/'}" is inside "${name}".`, { hint: 'Choose a folder outside the one being copied or moved.' })
  }
}

async function moveWithin(job: CopyJob, names: string[], folder: string, transfer: Transfer): Promise<void> {
  for (const name of names) {
    transfer.signal.throwIfAborted()
    const to = placeUnder(folder, name, name)
    if (to === name) continue
    transfer.fileStarted(name)
    const entry = await job.source.stat(name)
    const free = job.conflict === 'rename' ? await job.target.getAvailableName(to) : to
    await job.source.move(name, free, { overwrite: job.conflict === 'overwrite', signal: transfer.signal })
    const counted = entry.type === 'file' ? { files: 1, bytes: entry.size ?? 0, truncated: false } : await summarize(job.target, [free], COUNT_LIMIT, transfer.signal)
    transfer.progress(counted.bytes)
    for (let i = 0; i < counted.files; i++) transfer.fileDone()
  }
}

async function copyFile(job: CopyJob, entry: StorageEntry, to: string, transfer: Transfer): Promise<void> {
  transfer.fileStarted(entry.name)
  if (job.sameAlias && to === entry.name) {
    // Onto itself: replacing a file with its own bytes changes nothing; "fail" says it is taken.
    if (job.conflict === 'fail') throw new BackplaneError(ErrorCode.E_EXISTS, `"${to}" already exists.`, { hint: 'Choose another folder, or let the copy be renamed.' })
    if (job.conflict === 'overwrite') return void transfer.fileDone()
  }
  let counted = 0
  try {
    if (job.sameAlias) {
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

/** A copy inside one alias; under "rename", onto Django's next free name, again if another writer took it first. */
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
