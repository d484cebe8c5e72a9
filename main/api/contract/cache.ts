import { z } from 'zod'
import { method } from './define'

const Alias = z.string().default('default')
/** Memcached stops at 250 characters and Django warns beyond; 8 KiB leaves room for any real key and bounds matching it. */
export const MAX_CACHE_KEY = 8192
const Key = z.string().min(1, 'Enter a key.').max(MAX_CACHE_KEY, `A key of more than ${MAX_CACHE_KEY} characters is not a key anyone uses.`)
const Version = z.number().int().optional()

export const CacheEntryView = z.object({
  key: z.string(),
  /** The key as the application wrote it, when the stored key carries this alias's prefix and a version. */
  userKey: z.string().optional(),
  version: z.number().int().optional(),
  ttl: z.number().nullable(),
  size: z.number(),
})

export const cacheMethods = {
  'cache.scan': method({
    description: 'Lists stored keys matching a glob pattern, a page at a time; as Redis SCAN, count is how many keys a page looks at, so a page may hold fewer (even none) while the cursor goes on.',
    input: z.object({ alias: Alias, pattern: z.string().max(1024).default('*'), cursor: z.string().max(1024).nullable().default(null), count: z.number().int().min(1).max(1000).default(200) }),
    output: z.object({ entries: z.array(CacheEntryView), cursor: z.string().nullable() }),
  }),
  'cache.get': method({
    description: 'Reads one key (the key as the application uses it; prefix and version are added).',
    input: z.object({ alias: Alias, key: Key, version: Version }),
    output: z.object({ found: z.boolean(), value: z.unknown().optional() }),
  }),
  'cache.set': method({
    description: 'Writes one key; timeout in seconds, null for never.',
    input: z.object({ alias: Alias, key: Key, value: z.unknown(), timeout: z.number().min(0).nullable().optional(), version: Version }),
    output: z.object({ ok: z.literal(true) }),
  }),
  'cache.delete': method({
    description: 'Deletes one key.',
    input: z.object({ alias: Alias, key: Key, version: Version }),
    output: z.object({ deleted: z.boolean() }),
  }),
  'cache.clear': method({
    description: 'Deletes every key of the cache (Django: cache.clear()).',
    input: z.object({ alias: Alias }),
    output: z.object({ ok: z.literal(true) }),
  }),
}
