import type { Storage } from '../../main/backends/storage/base'
import { storageSuite } from '../../main/backends/contracts'
import { contractTests } from '../support/contract-tests'

/** The shipped storage suite for one engine. */
export function storageContract(name: string, make: () => Promise<Storage>, teardown?: () => Promise<void>): void {
  contractTests(name, storageSuite, { make, ...(teardown ? { afterEach: teardown } : {}) })
}
