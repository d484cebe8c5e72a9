import { describe, expect, it } from 'vitest'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Cache } from '../base'
import { dummyEngine } from './dummy'

describe('dummy, as Django\'s DummyCache', () => {
  it('accepts everything and keeps nothing', async () => {
    const cache = await createBackend<Cache>(dummyEngine, {}, testContext('cache'))
    await cache.set('k', 'v')
    expect(await cache.add('k', 'v')).toBe(true)
    expect(await cache.get('k')).toBeUndefined()
    expect(await cache.hasKey('k')).toBe(false)
    expect((await cache.check()).state).toBe('ok')
  })
})
