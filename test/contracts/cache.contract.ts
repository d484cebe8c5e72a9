import type { Cache } from '../../main/backends/cache/base'
import { cacheSuite } from '../../main/backends/contracts'
import { contractTests } from '../support/contract-tests'

/** The shipped cache suite for one engine. @param make builds a fresh cache from the alias's raw options. */
export function cacheContract(name: string, make: (options?: Record<string, unknown>) => Promise<Cache>, teardown?: () => Promise<void>): void {
  contractTests(name, cacheSuite, { make, ...(teardown ? { afterEach: teardown } : {}) })
}
