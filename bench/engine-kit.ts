import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App } from '../main/api/app'
import { globMatcher } from '../main/core/glob'
import { createLogger } from '../main/core/log'
import { round } from './support/stats'

/**
 * The engine kit's costs, each beside its reference in the same run:
 * - a backend call through the pool's counting proxy (what handlers get) against the same call on the
 *   bare backend;
 * - cache.scan's glob matcher against the regular expression it replaced, on an ordinary pattern over
 *   100,000 keys, and on the pattern that once stalled the process, over keys of growing length.
 */
export async function engineKit(): Promise<unknown> {
  return { name: 'engine-kit', proxy: await proxyCost(), glob: globCost() }
}

async function proxyCost() {
  const home = mkdtempSync(join(tmpdir(), 'backplane-bench-'))
  const store = process.env.BACKPLANE_SECRET_STORE
  process.env.BACKPLANE_SECRET_STORE = 'file'
  const app = await App.open({ host: 'cli', dataDir: home, log: createLogger('bench', { sink: () => undefined }) })
  try {
    type Cache = { get(k: string): Promise<unknown>; set(k: string, v: unknown): Promise<void>; close(): Promise<void> }
    const tracked = (await app.pool.get('cache', 'default')) as unknown as Cache
    await tracked.set('k', 'v')
    // The reference: the same engine on the same location, built without the pool's wrapper.
    const bare = (await app.pool.build('cache', 'default', { engine: 'locmem' })) as unknown as Cache
    const N = 200_000
    const time = async (get: (k: string) => Promise<unknown>) => {
      for (let i = 0; i < 10_000; i++) await get('k')
      const t0 = performance.now()
      for (let i = 0; i < N; i++) await get('k')
      return ((performance.now() - t0) * 1000) / N
    }
    const bareUs = await time((k) => bare.get(k))
    const trackedUs = await time((k) => tracked.get(k))
    return { calls: N, bareMicrosPerCall: round(bareUs, 3), throughPoolMicrosPerCall: round(trackedUs, 3), overheadMicros: round(trackedUs - bareUs, 3) }
  } finally {
    await app.close()
    rmSync(home, { recursive: true, force: true })
    if (store === undefined) delete process.env.BACKPLANE_SECRET_STORE
    else process.env.BACKPLANE_SECRET_STORE = store
  }
}

/** The matcher cache.scan used before: a glob turned into a regular expression (it backtracks). */
function regexReference(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's')
}

function globCost() {
  const keys = Array.from({ length: 100_000 }, (_, i) => `:1:user:${i}:session:${(i * 7919) % 100_000}`)
  const ordinary = '*user:1*:session:*'
  const run = (match: (k: string) => boolean) => {
    const t0 = performance.now()
    let hits = 0
    for (const k of keys) if (match(k)) hits++
    return { ms: round(performance.now() - t0, 2), hits }
  }
  const ours = globMatcher(ordinary)
  const reference = regexReference(ordinary)
  const pathological = '*a*a*a*a*a*a*a*a*a*a*b'
  const stall = [12, 16, 20, 24].map((length) => {
    const key = 'a'.repeat(length)
    const t0 = performance.now()
    const answer = globMatcher(pathological)(key)
    const oursMs = performance.now() - t0
    const t1 = performance.now()
    regexReference(pathological).test(key)
    return { keyLength: length, matched: answer, oursMs: round(oursMs, 3), regexMs: round(performance.now() - t1, 1) }
  })
  return { ordinary: { pattern: ordinary, keys: keys.length, ours: run(ours), regex: run((k) => reference.test(k)) }, pathological: { pattern: pathological, byKeyLength: stall } }
}
