/** What the cache engines use to turn stored bytes into values and back (docs/cache.md, "Values"). */
export { MEMCACHED_FLAGS, inflate, inspectValue, serializerOption, storedDetail, valueCodec, type CodecFamily, type InspectedValue, type StoredDetail } from './codecs'
export { VALUE_LIMITS } from './limits'
export { decodeOffLoop, SLICED_FROM_BYTES, hasPickleHeader, readPickle, readPickleSliced, type Unpickled } from './pickle-read'
export { writePickle } from './pickle-write'
export type { DecodedValue, SerializerName, StoredValue, ValueCodec, ValueEncoding } from './types'
export { VALUE_TAGS, type ValueTag } from './value-tags'
