import { filesystemEngine } from './engines/filesystem'
import { memoryEngine } from './engines/memory'

export const storageEngines = [filesystemEngine, memoryEngine]
export * from './base'
