import { isUtf8 } from 'node:buffer'
import type Redis from 'ioredis'
import { MAX_RAW_BYTES, type CacheEntryDetail, type CacheEntryInfo, type CacheEntryType, type CacheItem, type CacheScan, type CacheValue } from '../base'
import { decodeOffLoop, storedDetail, type ValueCodec } from '../codec'
import { BackplaneError, ErrorCode } from '../../../core/errors'

/** The items of a collection the key browser shows; the count says how many there are in all. */
const FIRST_ITEMS = 100
/** A string longer than this is shown as its first bytes only: decoding it would hold the event loop. */
const MAX_DECODE_BYTES = 16 * 1024 * 1024
/** HSCAN and SSCAN may answer empty pages; this many rounds at most to gather the first items. */
const MAX_ITEM_ROUNDS = 20

const TYPES: Record<string, CacheEntryType> = { string: 'entry', hash: 'hash', list: 'list', set: 'set', zset: 'zset', stream: 'stream' }

/** Whether the server lets this user run MEMORY USAGE; once refused, sizes come from STRLEN. */
export interface SizeProbe {
  memoryUsage: boolean
}

const MAX_CURSOR = 2n ** 64n - 1n

/**
 * The cursor as SCAN takes it, an unsigned 64-bit decimal. Anything else is the caller's mistake: checked
 * here, because Redis answers "ERR invalid cursor", which would reach the user as the server's fault (502).
 */
function scanCursor(cursor: string | null): string {
  if (cursor === null) return '0'
  if (/^\d{1,20}$/.test(cursor) && BigInt(cursor) <= MAX_CURSOR) return cursor
  throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${cursor.slice(0, 40)}" is not a Redis SCAN cursor.`, {
    hint: 'Pass back the cursor the previous page answered, or none to start from the beginning.',
  })
}

/**
 * One page of the key browser: SCAN with MATCH and COUNT (never KEYS, which blocks the server), then one
 * pipeline of TYPE, PTTL and MEMORY USAGE for the keys it found.
 */
export async function scanPage(client: Redis, sizes: SizeProbe, { pattern = '*', cursor = null, count = 100 }: { pattern?: string; cursor?: string | null; count?: number }): Promise<CacheScan> {
  const [next, found] = await client.scanBuffer(scanCursor(cursor), 'MATCH', simplifyPattern(pattern), 'COUNT', count)
  const keys = found.map((key) => key.toString('utf8'))
  const entries: CacheEntryInfo[] = []
  if (keys.length > 0) {
    const described = await describeKeys(client, sizes, keys)
    for (const [i, key] of keys.entries()) {
      const info = described[i]!
      // A key that expired or was deleted between SCAN and TYPE is not there any more.
      if (info.type !== undefined) entries.push({ key, ...info, type: info.type })
    }
  }
  const nextCursor = next.toString()
  return { entries, cursor: nextCursor === '0' ? null : nextCursor }
}

/**
 * Runs of "*" match what one "*" matches, and Redis's matcher walks each of them: `*a*a*…` of a thousand
 * characters is answered at once after this, on every server version.
 */
export function simplifyPattern(pattern: string): string {
  return pattern.replace(/(?<!\\)\*{2,}/g, '*')
}

async function describeKeys(client: Redis, sizes: SizeProbe, keys: string[]): Promise<{ type?: CacheEntryType; ttl: number | null; size: number }[]> {
  const pipeline = client.pipeline()
  for (const key of keys) {
    pipeline.type(key).pttl(key)
    if (sizes.memoryUsage) pipeline.memory('USAGE', key)
  }
  const replies = (await pipeline.exec()) ?? []
  const per = sizes.memoryUsage ? 3 : 2
  let needStrlen = !sizes.memoryUsage
  if (sizes.memoryUsage && keys.some((_, i) => replies[i * per + 2]?.[0])) {
    // MEMORY is not allowed here (a managed Redis, an ACL): sizes from STRLEN, for this page and the next.
    sizes.memoryUsage = false
    needStrlen = true
  }
  const strlens = needStrlen ? await strlenOf(client, keys) : []
  return keys.map((_, i) => {
    const [typeError, type] = replies[i * per] ?? []
    const pttl = Number(replies[i * per + 1]?.[1] ?? -2)
    const size = needStrlen ? strlens[i]! : Number(replies[i * per + 2]?.[1] ?? 0)
    if (typeError || type === 'none' || pttl === -2) return { ttl: null, size: 0 }
    return { type: TYPES[String(type)] ?? 'other', ttl: ttlSeconds(pttl), size }
  })
}

async function strlenOf(client: Redis, keys: string[]): Promise<number[]> {
  const pipeline = client.pipeline()
  for (const key of keys) pipeline.strlen(key)
  // A collection answers WRONGTYPE: its size is not known without MEMORY.
  return ((await pipeline.exec()) ?? []).map(([err, n]) => (err ? 0 : Number(n)))
}

/** PTTL in milliseconds → seconds left (rounded up, so a key about to expire shows 1, not 0), null for never. */
export function ttlSeconds(pttl: number): number | null {
  return pttl < 0 ? null : Math.ceil(pttl / 1000)
}

/** Everything the key browser shows of one stored key, or undefined when it is not there. */
export async function inspectKey(client: Redis, sizes: SizeProbe, codec: ValueCodec, key: string): Promise<CacheEntryDetail | undefined> {
  const [info] = await describeKeys(client, sizes, [key])
  if (!info?.type) return undefined
  const base = { key, ttl: info.ttl, size: info.size, type: info.type }
  switch (info.type) {
    case 'entry':
      return { ...base, ...(await readEntry(client, codec, key)) }
    case 'hash':
      return { ...base, ...(await scanItems(client, key, 'hash')) }
    case 'set':
      return { ...base, ...(await scanItems(client, key, 'set')) }
    case 'list': {
      const [count, values] = await Promise.all([client.llen(key), client.lrangeBuffer(key, 0, FIRST_ITEMS - 1)])
      return { ...base, itemCount: count, items: values.map((value) => ({ value: readable(value) })) }
    }
    case 'zset': {
      const [count, flat] = await Promise.all([client.zcard(key), client.zrangeBuffer(key, 0, String(FIRST_ITEMS - 1), 'WITHSCORES') as Promise<Buffer[]>])
      // RESP2 (the connection's protocol): member, score, member, score…
      const items: CacheItem[] = []
      for (let i = 0; i + 1 < flat.length; i += 2) {
        // Redis allows scores of inf and -inf; the contract's score is a JSON number, which has neither:
        // such a member is shown without its score rather than failing the whole answer.
        const score = Number(flat[i + 1]!.toString())
        items.push({ value: readable(flat[i]!), ...(Number.isFinite(score) ? { score } : {}) })
      }
      return { ...base, itemCount: count, items }
    }
    case 'stream': {
      const [count, entries] = await Promise.all([client.xlen(key), client.xrangeBuffer(key, '-', '+', 'COUNT', FIRST_ITEMS)])
      return { ...base, itemCount: count, items: entries.map(([id, fields]) => ({ field: id.toString(), value: fieldsValue(fields) })) }
    }
    default:
      return base
  }
}

async function readEntry(client: Redis, codec: ValueCodec, key: string): Promise<Partial<CacheEntryDetail>> {
  const length = await client.strlen(key)
  if (length > MAX_DECODE_BYTES) {
    const head = await client.getrangeBuffer(key, 0, MAX_RAW_BYTES - 1)
    return { raw: head.toString('base64'), rawTruncated: true, encoding: 'bytes' }
  }
  const bytes = await client.getBuffer(key)
  if (bytes === null) return {}
  // A damaged pickle (or one past the codec's bounds) reads as its bytes here; get() says E_CACHE_CORRUPT.
  return storedDetail(bytes, () => decodeOffLoop(codec, { bytes }))
}

/** HSCAN / SSCAN until the first items are in (a page may be empty while the cursor goes on). */
async function scanItems(client: Redis, key: string, type: 'hash' | 'set'): Promise<Partial<CacheEntryDetail>> {
  const items: CacheItem[] = []
  let cursor = '0'
  for (let round = 0; round < MAX_ITEM_ROUNDS && items.length < FIRST_ITEMS; round++) {
    const [next, flat] = type === 'hash' ? await client.hscanBuffer(key, cursor, 'COUNT', FIRST_ITEMS) : await client.sscanBuffer(key, cursor, 'COUNT', FIRST_ITEMS)
    if (type === 'hash') {
      for (let i = 0; i + 1 < flat.length; i += 2) items.push({ field: flat[i]!.toString('utf8'), value: readable(flat[i + 1]!) })
    } else {
      for (const member of flat) items.push({ value: readable(member) })
    }
    cursor = next.toString()
    if (cursor === '0') break
  }
  const itemCount = type === 'hash' ? await client.hlen(key) : await client.scard(key)
  return { itemCount, items: items.slice(0, FIRST_ITEMS) }
}

/** An item of a collection: its text when it is UTF-8, else its bytes (`{ $bytes }`, as the value model has them). */
export function readable(bytes: Buffer): CacheValue {
  return isUtf8(bytes) ? bytes.toString('utf8') : { $bytes: bytes.toString('base64') }
}

/** A stream entry's fields as an object, or as `{ $dict }` pairs when names repeat or look like tags, as the value model writes dicts. */
function fieldsValue(flat: Buffer[]): CacheValue {
  const pairs: [string, CacheValue][] = []
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!.toString('utf8'), readable(flat[i + 1]!)])
  const names = new Set(pairs.map(([name]) => name))
  if (names.size === pairs.length && pairs.every(([name]) => !name.startsWith('$'))) {
    const object: Record<string, CacheValue> = {}
    for (const [name, value] of pairs) Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true })
    return object
  }
  return { $dict: pairs }
}

/** UNLINK: the server frees the memory in the background, so deleting a huge collection does not block it. */
export async function unlinkKeys(client: Redis, keys: readonly string[]): Promise<number> {
  return keys.length === 0 ? 0 : client.unlink(...keys)
}
