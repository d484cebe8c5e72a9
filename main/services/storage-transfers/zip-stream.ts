import { finished } from 'node:stream/promises'
import { PassThrough, pipeline, type Readable } from 'node:stream'
import { metered } from './metered'
import { ZipFile } from 'yazl'
import type { Storage } from '../../backends/storage'
import { toBackplaneError } from '../../core/errors'
import { contentTypeOf, isCompressed } from '../../backends/storage/content-types'
import type { Transfer } from './transfer'
import { commonFolder, walkNames } from './tree-walk'

/**
 * Files and folders as one zip, written as they are walked: one file open at a time, its bytes piped
 * into the archive at the pace the client reads, so memory holds a page of the listing and a chunk, not
 * the tree. Names inside are relative to the folder the named entries share (never absolute, never
 * with ".."); ZIP64 where a file or the archive needs it (yazl decides). A fault midway destroys the
 * stream: the client sees a broken download, not a zip that looks whole.
 */
export function zipStream(storage: Storage, names: readonly string[], transfer: Transfer): Readable {
  const zip = new ZipFile()
  const out = new PassThrough()
  const base = commonFolder(names)
  const relative = (name: string) => zipEntryName(base ? name.slice(base.length + 1) : name)
  zip.on('error', (err: unknown) => out.destroy(toBackplaneError(err)))
  let current: Readable | undefined
  // The client gone (or the transfer cancelled): the file being read stops too.
  pipeline(zip.outputStream as Readable, out, () => current?.destroy())
  transfer.signal.addEventListener('abort', () => out.destroy(transfer.signal.reason as Error), { once: true })
  void (async () => {
    for await (const entry of walkNames(storage, names, { signal: transfer.signal, onSkipped: () => transfer.skipped() })) {
      if (out.destroyed) return
      const mtime = entry.modified ? new Date(entry.modified) : new Date()
      if (entry.type === 'dir') {
        zip.addEmptyDirectory(relative(entry.name), { mtime })
        continue
      }
      transfer.fileStarted(entry.name)
      const source = metered(await storage.open(entry.name, { signal: transfer.signal }), (n) => transfer.progress(n))
      current = source
      zip.addReadStream(source, relative(entry.name), {
        mtime,
        compress: !isCompressed(contentTypeOf(entry.name, entry.contentType)),
        ...(entry.size !== undefined ? { size: entry.size } : {}),
      })
      // The next file opens only once this one is in the archive: one stream (one connection) at a time.
      await finished(source)
      transfer.fileDone()
    }
    zip.end()
  })().catch((err: unknown) => out.destroy(toBackplaneError(err)))
  return out
}

/**
 * A name as the archive holds it. "Q:notes.txt" is a fine name on Linux, macOS and S3, but yazl (rightly:
 * an extractor on Windows would write to drive Q:) refuses a path that starts like a drive; it becomes
 * "Q_notes.txt". Every other name is kept: the walk only yields names without "..", "\\" or a leading "/".
 */
export function zipEntryName(name: string): string {
  return name.replace(/^([A-Za-z]):/, '$1_')
}
