import { authSuite } from './auth'
import { cacheSuite } from './cache'
import { dataSuite } from './data'
import { mailSuite } from './mail'
import { storageSuite } from './storage'

export { authSuite, cacheSuite, dataSuite, mailSuite, storageSuite }
export type { AuthFixture, AuthTestBed } from './auth'
export type { CacheFixture } from './cache'
export type { DataDialect, DataFixture } from './data'
export type { MailFixture } from './mail'
export type { StorageFixture } from './storage'
export { CaseSkipped, runContractSuite, tools, type CaseTools, type ContractCase, type ContractResult, type ContractSuite } from './harness'

/** The suite of each kind, the one the built-in engines pass. */
export const contractSuites = {
  mail: mailSuite,
  data: dataSuite,
  cache: cacheSuite,
  auth: authSuite,
  storage: storageSuite,
} as const
