import { afterAll, beforeAll, expect, it } from 'vitest'
import { cacheEngines } from '../../backends/cache'
import { openTestApp, type TestApp } from '../../../test/support/test-app'
import { describeService, type ServiceName } from '../../../test/support/services'

// The workload tester on real servers: it measures, and it deletes every key it wrote, on Memcached
// too (which cannot list keys, so the clean-up must know them). Keys get a prefix of this test's own
// on the shared testbed.
const PREFIX = `bp-workload-test-${process.pid}`
const KEYS = 40

function serverSuite(service: ServiceName, engine: string, location: (env: Record<string, string>) => string) {
  describeService(service, `the workload tester on ${service}`, (env) => {
    let test: TestApp
    beforeAll(async () => {
      test = await openTestApp()
      if (!cacheEngines.some((e) => e.id === engine)) return
      await test.app.call('settings.saveAlias', { kind: 'cache', name: 'server', engine, options: { location: location(env), keyPrefix: PREFIX } })
    })
    afterAll(() => test.close())

    it(`measures hits, misses and latencies on ${service}, then leaves none of its keys behind`, async (ctx) => {
      if (!cacheEngines.some((e) => e.id === engine)) return ctx.skip(`the ${engine} engine is not registered yet`)
      const { app } = test
      const result = await app.call('cache.workload', { alias: 'server', runId: `servers-${service}`, keys: KEYS, readRatio: 0.5, concurrency: 8, durationSeconds: 1 })
      expect(result.errors, result.firstError).toBe(0)
      expect(result.operations).toBeGreaterThan(100)
      // Sets landed (later gets hit them), so there was something to clean up.
      expect(result.hits).toBeGreaterThan(0)
      expect(result.misses).toBeGreaterThan(0)
      expect(result.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(result.operations)
      expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p99)
      for (let n = 0; n < KEYS; n++) {
        expect(await app.call('cache.get', { alias: 'server', key: `__backplane_workload__:servers-${service}:${n}` }), `key ${n}`).toEqual({ found: false })
      }
    })
  })
}

serverSuite('redis', 'redis', (env) => env.BACKPLANE_TEST_REDIS_URL!)
serverSuite('memcached', 'memcached', (env) => env.BACKPLANE_TEST_MEMCACHED!)
