import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { djangoAvailable, djangoCache, withDjangoCache } from '../../../../test/support/django-cache'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Cache } from '../base'
import { DJANGO_VALUES } from './django-values.fixture'
import { fileEngine } from './file'

const ctx = testContext('cache')
afterAll(() => ctx.cleanup())

const withDjango = djangoAvailable('django', 'python3-django', "file cache interop with Django's FileBasedCache") ? describe : describe.skip

let folders = 0
function pair(extra: { KEY_PREFIX?: string; VERSION?: number } = {}) {
  const location = join(ctx.dataDir, `django-files-${++folders}`)
  const django = { BACKEND: 'django.core.cache.backends.filebased.FileBasedCache', LOCATION: location, KEY_PREFIX: extra.KEY_PREFIX ?? '', VERSION: extra.VERSION ?? 1 }
  const backplane = () => createBackend<Cache>(fileEngine, { location, keyPrefix: django.KEY_PREFIX, version: django.VERSION }, ctx)
  return { location, django, backplane }
}

withDjango("file cache and Django's FileBasedCache share a folder", () => {
  it('reads every value Django writes, equal', async () => {
    const { django, backplane } = pair({ KEY_PREFIX: 'site', VERSION: 2 })
    await djangoCache(
      django,
      Object.entries(DJANGO_VALUES).map(([key, value]) => ({ op: 'set', key, value })),
    )
    const cache = await backplane()
    for (const [key, value] of Object.entries(DJANGO_VALUES)) expect(await cache.get(key), key).toEqual(value)
  })

  it('writes every value so that Django reads it equal, under the file name Django looks for', async () => {
    const { django, backplane, location } = pair({ KEY_PREFIX: 'bp' })
    const cache = await backplane()
    for (const [key, value] of Object.entries(DJANGO_VALUES)) await cache.set(key, value)
    const keys = Object.keys(DJANGO_VALUES)
    const read = await djangoCache(django, keys.map((key) => ({ op: 'get', key })))
    expect(Object.fromEntries(keys.map((k, i) => [k, read[i]]))).toEqual(Object.fromEntries(keys.map((k) => [k, { value: DJANGO_VALUES[k] }])))
    const expected = keys.map((k) => `${createHash('md5').update(`bp:1:${k}`).digest('hex')}.djcache`).sort()
    expect(readdirSync(location).sort()).toEqual(expected)
  })

  it('agrees with Django on expiry, touch, add, incr and delete', async () => {
    const { django, backplane } = pair()
    const cache = await backplane()
    await cache.set('expired', 'x', { timeout: 0 })
    await cache.set('touched', 'y', { timeout: 1 })
    await cache.touch('touched', { timeout: null })
    await cache.set('counter', 5)
    await djangoCache(django, [{ op: 'set', key: 'theirs', value: 'z', timeout: 0 }])
    const [expired, touched, added, incr, deleted] = await djangoCache(django, [
      { op: 'get', key: 'expired' },
      { op: 'get', key: 'touched' },
      { op: 'add', key: 'counter', value: 0 },
      { op: 'incr', key: 'counter', delta: 2 },
      { op: 'delete', key: 'touched' },
    ])
    expect([expired, touched, added, incr, deleted]).toEqual([{ missing: true }, { value: 'y' }, false, 7, true])
    expect(await cache.get('theirs')).toBeUndefined()
    expect(await cache.get('counter')).toBe(7)
    expect(await cache.add('touched', 'again')).toBe(true)
  })

  it('answers E_CACHE_CORRUPT for a file Django wrote and something truncated, where Django raises', async () => {
    const { django, backplane, location } = pair()
    await djangoCache(django, [{ op: 'set', key: 'k', value: 'a'.repeat(1000) + 'b'.repeat(1000) }])
    const [name] = readdirSync(location)
    const file = join(location, name!)
    const bytes = readFileSync(file)
    writeFileSync(file, bytes.subarray(0, bytes.length - 3))
    const cache = await backplane()
    await expect(cache.get('k')).rejects.toMatchObject({ code: 'E_CACHE_CORRUPT' })
    const [theirs] = await withDjangoCache(django, [{ op: 'get', key: 'k' }])
    expect(theirs).toMatchObject({ error: 'error' }) // zlib.error: Django does not catch it either
  })
})
