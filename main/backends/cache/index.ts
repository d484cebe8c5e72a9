import { dummyEngine } from './engines/dummy'
import { locmemEngine } from './engines/locmem'

export const cacheEngines = [locmemEngine, dummyEngine]
export * from './base'
