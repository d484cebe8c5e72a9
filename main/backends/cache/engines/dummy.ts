import { defineEngine } from '../../../core/engine'
import { HealthProbe } from '../../../core/health-probe'
import type { HealthReport } from '../../../core/schemas/health'
import { BaseCache, CacheOptions, type CacheScan, type CacheValue } from '../base'

/** Django's DummyCache: implements the interface and caches nothing, for turning caching off. */
class DummyCache extends BaseCache {
  async get(key: string): Promise<CacheValue | undefined> {
    this.validateKey(this.makeKey(key))
    return undefined
  }
  async set(key: string): Promise<void> {
    this.validateKey(this.makeKey(key))
  }
  async add(key: string): Promise<boolean> {
    this.validateKey(this.makeKey(key))
    return true
  }
  async touch(): Promise<boolean> {
    return false
  }
  async delete(): Promise<boolean> {
    return false
  }
  async clear(): Promise<void> {}
  override async scan(): Promise<CacheScan> {
    return { entries: [], cursor: null }
  }
  protected async serverVersion(): Promise<string> {
    return 'no storage (dummy)'
  }
  /** A dummy cache never returns what it was given, so its health is "reachable", not a read-back. */
  override async check(): Promise<HealthReport> {
    const probe = new HealthProbe('cache', this.ctx.alias, this.ctx.engine)
    probe.version = 'no storage (dummy)'
    probe.summary = 'Caches nothing, by design.'
    await probe.step('set', () => this.set('__backplane_health__'))
    return probe.report()
  }
}

export const dummyEngine = defineEngine({
  kind: 'cache',
  id: 'dummy',
  title: 'Dummy (no caching)',
  description: "Django's DummyCache: every call succeeds and nothing is kept.",
  options: CacheOptions,
  create: (options, ctx) => new DummyCache(options, ctx),
})
