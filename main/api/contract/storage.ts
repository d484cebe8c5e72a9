import { z } from 'zod'
import { ErrorPayload } from '../../core/schemas/error'
import { method } from './define'

const Alias = z.string().min(1).max(200).default('default')
/** A name inside a storage, "/"-separated; the engine refuses one that climbs out or holds control characters. */
const Name = z.string().min(1).max(4096)
const Path = z.string().max(4096).default('')
/** What to do when the target name is taken: Django's free alternative (`_abc1234`), replace it, or fail with E_EXISTS. */
export const Conflict = z.enum(['rename', 'overwrite', 'fail'])

export const StorageEntryView = z.object({
  name: z.string(),
  type: z.enum(['file', 'dir']),
  size: z.number().optional(),
  modified: z.string().optional(),
  created: z.string().optional(),
  accessed: z.string().optional(),
  contentType: z.string().optional(),
  etag: z.string().optional(),
})

export const StorageFeaturesView = z.object({
  localPath: z.boolean(),
  presignedUrls: z.boolean(),
  folders: z.enum(['real', 'prefix']),
})

const Place = z.object({ alias: Alias, name: Name })

export const TransferView = z.object({
  id: z.string(),
  kind: z.enum(['upload', 'download', 'copy', 'move', 'zip']),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  /** Where the bytes come from and go to; an upload has no `from`, a download no `to`. */
  from: z.object({ alias: z.string(), name: z.string() }).nullable(),
  to: z.object({ alias: z.string(), name: z.string() }).nullable(),
  /** One line for the transfers panel ("report.pdf → media:reports/"). */
  label: z.string(),
  bytesDone: z.number(),
  /** null while unknown (a folder not yet counted, a PUT without Content-Length). */
  bytesTotal: z.number().nullable(),
  filesDone: z.number(),
  filesTotal: z.number().nullable(),
  /** Over the last few seconds. */
  bytesPerSecond: z.number(),
  secondsLeft: z.number().nullable(),
  /** The file being transferred now, in a folder transfer. */
  current: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** The name actually written (a clash renamed it), for a single-file transfer that is done. */
  resultName: z.string().nullable(),
  error: ErrorPayload.nullable(),
})
export type TransferView = z.output<typeof TransferView>

/**
 * Files are listed, described, moved and copied here; their bytes never travel inside JSON. They
 * stream over `GET`/`PUT /api/v1/storage/<alias>/<path>` (serve mode and the desktop app alike; see
 * docs/storage.md), and folders download as a zip from `GET /api/v1/storage-zip/<alias>?name=…`.
 */
export const storageMethods = {
  'storage.list': method({
    description:
      'Entries of a folder, sorted by name, a page at a time (pass the cursor back for the next). With `contains`, only those whose own name contains it, ignoring case; such a page looks through a bounded part of the folder, so it may hold fewer entries, none even, and still have a cursor.',
    input: z.object({
      alias: Alias,
      path: Path,
      cursor: z.string().max(4096).nullable().default(null),
      limit: z.number().int().min(1).max(5000).default(500),
      /** Plain text, never a pattern: compared, so no input can make it backtrack. */
      contains: z.string().max(255).default(''),
    }),
    output: z.object({ entries: z.array(StorageEntryView), cursor: z.string().nullable() }),
  }),
  'storage.stat': method({
    description: 'One file or folder: size, times, content type, ETag; its public URL, and its local path where it has one.',
    input: z.object({ alias: Alias, name: Name }),
    output: StorageEntryView.extend({ url: z.string().nullable(), localPath: z.string().nullable() }),
  }),
  'storage.features': method({
    description: "What an alias's engine can do beyond the common set (local paths, presigned URLs, real folders).",
    input: z.object({ alias: Alias }),
    output: StorageFeaturesView,
  }),
  'storage.summarize': method({
    description: 'Counts what a delete or copy of these names would touch: files, folders and bytes, walking folders (stops at `limit` entries).',
    input: z.object({ alias: Alias, names: z.array(Name).min(1).max(10_000), limit: z.number().int().min(1).max(1_000_000).default(100_000) }),
    output: z.object({ files: z.number(), folders: z.number(), bytes: z.number(), truncated: z.boolean() }),
  }),
  'storage.makeFolder': method({
    description: 'Creates a folder (and the folders above it). An existing folder is fine; a file of that name is E_EXISTS.',
    input: z.object({ alias: Alias, name: Name }),
    output: z.object({ name: z.string() }),
  }),
  'storage.move': method({
    description: 'Renames or moves a file or folder inside one alias. A taken target is E_EXISTS unless conflict is "overwrite".',
    input: z.object({ alias: Alias, from: Name, to: Name, conflict: z.enum(['overwrite', 'fail']).default('fail') }),
    output: z.object({ name: z.string() }),
  }),
  'storage.delete': method({
    description: 'Deletes files, and folders with everything in them. A name that is already gone is not an error.',
    input: z.object({ alias: Alias, names: z.array(Name).min(1).max(10_000) }),
    output: z.object({ deleted: z.number() }),
  }),
  'storage.url': method({
    description: 'The URL of a file: its public one (baseUrl), or with presign a temporary one that works without Backplane (S3).',
    input: z.object({ alias: Alias, name: Name, presign: z.boolean().default(false), expiresInSeconds: z.number().int().min(1).max(7 * 24 * 3600).default(3600) }),
    output: z.object({ url: z.string().nullable(), expiresAt: z.string().nullable() }),
  }),
  'storage.djangoName': method({
    description: "The names Django would use: generate_filename (get_valid_name on the file name) and get_available_name of that on this alias now.",
    input: z.object({ alias: Alias, name: Name, maxLength: z.number().int().min(1).max(4096).optional() }),
    output: z.object({ generated: z.string(), available: z.string() }),
  }),
  'storage.startTransfer': method({
    description: 'Queues a copy or move of files and folders, within an alias or across two (a local folder to S3), as a transfer with progress and cancel.',
    input: z.object({
      kind: z.enum(['copy', 'move']),
      from: Place.extend({ names: z.array(Name).min(1).max(10_000) }).omit({ name: true }),
      /** The folder the names go into, on the target alias. */
      to: z.object({ alias: Alias, folder: Path }),
      conflict: Conflict.default('rename'),
    }),
    output: z.object({ id: z.string() }),
  }),
  'storage.transfers': method({
    description: 'The transfers queued, running and recently finished (uploads, downloads, copies, moves, zips), newest first.',
    input: z.object({}).default({}),
    output: z.array(TransferView),
  }),
  'storage.cancelTransfer': method({
    description: 'Stops a transfer. What it was writing is removed; files it had finished stay (a folder copy stops between files).',
    input: z.object({ id: z.string().min(1).max(100) }),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'storage.clearTransfers': method({
    description: 'Forgets finished, failed and cancelled transfers.',
    input: z.object({}).default({}),
    output: z.object({ cleared: z.number() }),
  }),
}
