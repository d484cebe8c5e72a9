import { filesystemEngine } from './engines/filesystem'
import { memoryEngine } from './engines/memory'
import { s3Engine } from './engines/s3'
import { sftpEngine } from './engines/sftp'

export const storageEngines = [filesystemEngine, memoryEngine, s3Engine, sftpEngine]
export * from './base'
