/** JSON values, with tagged objects for Python's other types: what every engine stores and the GUI shows and edits. */
export type CacheValue = unknown

/**
 * What a cache server holds for one entry: its bytes and, on Memcached, the flags the client stored
 * with them (pymemcache's serde says by its flags how it encoded a value).
 */
export interface StoredValue {
  bytes: Buffer
  flags?: number
}

/** How an alias writes values: as a Django app does (`django`: pickle) or as JSON text, for other apps. */
export type SerializerName = 'django' | 'json'

/**
 * How a stored value was read. `int`: plain digits (Django keeps ints unpickled on Redis and
 * Memcached); `pickle`; `json`; `text`: UTF-8 that is neither; `bytes`: anything else.
 */
export type ValueEncoding = 'int' | 'pickle' | 'json' | 'text' | 'bytes'

export interface DecodedValue {
  value: CacheValue
  encoding: ValueEncoding
  /**
   * True when the value holds a Python object Backplane only shows (`{ $class, … }`): it was never
   * executed, and it cannot be written back as it was.
   */
  opaque?: boolean
}

/**
 * One engine family's way from values to bytes and back (Redis, Memcached, or pickle-only for the
 * file and database caches), for one serializer. Values are JSON with tagged objects for Python's
 * other types; see docs/cache.md, "Values".
 */
export interface ValueCodec {
  readonly serializer: SerializerName
  encode(value: CacheValue): StoredValue
  /**
   * Bytes that are no pickle (nor, with flags, what the flags say) answer `text` or `bytes`; bytes that claim
   * to be one but are damaged or too big throw E_CACHE_CORRUPT or E_TOO_LARGE (the pickle-only codec throws
   * for anything that is not a pickle). The key browser reads through storedDetail(), which shows them.
   */
  decode(stored: StoredValue): DecodedValue
}
