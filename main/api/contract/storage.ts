import { z } from 'zod'
import { method } from './define'

const Alias = z.string().default('default')

export const StorageEntryView = z.object({
  name: z.string(),
  type: z.enum(['file', 'dir']),
  size: z.number().optional(),
  modified: z.string().optional(),
})

/** Base64 because JSON carries no bytes; the API is for small files, transfers stream elsewhere. */
const MAX_INLINE_BYTES = 8 * 1024 * 1024

export const storageMethods = {
  'storage.list': method({
    description: 'Entries of a folder, a page at a time.',
    input: z.object({ alias: Alias, path: z.string().default(''), cursor: z.string().nullable().default(null), limit: z.number().int().min(1).max(5000).default(500) }),
    output: z.object({ entries: z.array(StorageEntryView), cursor: z.string().nullable() }),
  }),
  'storage.read': method({
    description: 'The first bytes of a file (base64), for previews.',
    input: z.object({ alias: Alias, name: z.string().min(1), maxBytes: z.number().int().min(1).max(MAX_INLINE_BYTES).default(256 * 1024) }),
    output: z.object({ name: z.string(), size: z.number(), contentBase64: z.string(), truncated: z.boolean() }),
  }),
  'storage.save': method({
    description: "Saves a small file; like Django's Storage.save(), an existing name gets a free alternative.",
    input: z.object({ alias: Alias, name: z.string().min(1), contentBase64: z.string().max(Math.ceil(MAX_INLINE_BYTES / 3) * 4) }),
    output: z.object({ name: z.string() }),
  }),
  'storage.delete': method({
    description: 'Deletes a file or a folder with everything in it.',
    input: z.object({ alias: Alias, name: z.string().min(1) }),
    output: z.object({ ok: z.literal(true) }),
  }),
}
