import { describe, it } from 'vitest'
import type { ContractSuite } from '../../main/backends/contracts'

/**
 * Runs a shipped contract suite as vitest tests, one per case: the same cases `backplane test-engine`
 * runs against a user's engine. A case that skips itself is reported skipped, with its reason.
 */
export function contractTests<F extends { afterEach?: () => Promise<void> }>(title: string, suite: ContractSuite<F>, fixture: F): void {
  describe(`${title} implements the ${suite.kind} contract`, () => {
    for (const c of suite.cases) {
      it(c.name, async (ctx) => {
        try {
          await c.run(fixture, {
            skip: (reason) => {
              ctx.skip(reason)
              throw new Error('unreachable')
            },
          })
        } finally {
          await fixture.afterEach?.()
        }
      })
    }
  })
}
