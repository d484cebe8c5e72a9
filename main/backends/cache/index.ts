import { databaseEngine } from './engines/database'
import { dummyEngine } from './engines/dummy'
import { fileEngine } from './engines/file'
import { locmemEngine } from './engines/locmem'
import { memcachedEngine } from './engines/memcached'
import { redisEngine } from './engines/redis'

export const cacheEngines = [locmemEngine, fileEngine, databaseEngine, redisEngine, memcachedEngine, dummyEngine]
export * from './base'
