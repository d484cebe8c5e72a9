import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheContract } from '../../../../test/contracts/cache.contract'
import { djangoAvailable, djangoCache, withDjangoCache } from '../../../../test/support/django-cache'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { describeService, type ServiceEnv } from '../../../../test/support/services'
import type { Database, TableDetail } from '../../data/base'
import { mysqlEngine } from '../../data/engines/mysql'
import { postgresqlEngine } from '../../data/engines/postgresql'
import { sqliteEngine } from '../../data/engines/sqlite'
import type { Cache } from '../base'
import { databaseEngine } from './database'
import { datetimeParam, parseDatetime } from './database-cache-sql'
import { DJANGO_VALUES } from './django-values.fixture'

const dataCtx = testContext('data')
afterAll(() => dataCtx.cleanup())

const djangoHere = djangoAvailable('django', 'python3-django', "database cache interop with Django's DatabaseCache")

interface Server {
  vendor: 'sqlite' | 'postgresql' | 'mysql'
  /** A new connection (the suite closes it). */
  open(options?: Record<string, unknown>): Promise<Database>
  /** Django's DATABASES['default'] for the same database. */
  django(): Record<string, unknown>
}

/** What every server must do with the database cache: the contract, Django's table shape and interop, culling, damage, a missing table. */
function databaseCacheSuite(title: string, server: () => Server): void {
  describe(title, () => {
    const opened: Database[] = []
    const tables: string[] = []
    let admin: Database
    const table = (name: string) => {
      const t = `bp_cache_${process.pid}_${name}`
      tables.push(t)
      return t
    }
    const open = async (options?: Record<string, unknown>) => {
      const db = await server().open(options)
      opened.push(db)
      return db
    }
    const make = async (location: string, options: Record<string, unknown> = {}, db?: Database) => {
      const data = db ?? (admin ??= await open())
      const ctx = testContext('cache', { backends: { 'data:default': data } })
      return createBackend<Cache>(databaseEngine, { location, ...options }, ctx)
    }
    const django = (location: string, extra: Record<string, unknown> = {}) => ({
      cache: { BACKEND: 'django.core.cache.backends.db.DatabaseCache', LOCATION: location, ...extra },
      settings: { DATABASES: { default: server().django() } },
    })
    const rowCount = async (t: string) => Number((await admin.query(`SELECT COUNT(*) FROM ${t}`)).rows[0]![0])
    const keysOf = async (t: string) => (await admin.query(`SELECT cache_key FROM ${t} ORDER BY cache_key`)).rows.map((r) => r[0])

    afterAll(async () => {
      for (const t of tables) await admin?.query(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined)
      await Promise.all(opened.splice(0).map((db) => db.close()))
    })

    const contractTable = `bp_cache_${process.pid}_contract`
    cacheContract(title, async (options = {}) => {
      if (!tables.includes(contractTable)) {
        tables.push(contractTable)
        await (await make(contractTable)).createTable!()
        // The testbed's database is latin1, as MariaDB's default; a Django project's is utf8mb4, and its
        // table (which createcachetable makes in the database's charset) holds any key.
        if (server().vendor === 'mysql') await admin.query(`ALTER TABLE ${contractTable} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
      }
      return make(contractTable, options)
    })

    it("creates the table createcachetable makes, and leaves one that exists alone", async () => {
      const t = table('created')
      const cache = await make(t)
      const created = await cache.createTable!()
      expect(created.created).toBe(true)
      expect(created.sql).toContain('varchar(255) NOT NULL PRIMARY KEY')
      expect(created.sql).toContain(`_expires`)
      expect(await cache.createTable!()).toEqual({ created: false, sql: created.sql })
      await cache.set('k', 'v')
      expect(await cache.get('k')).toBe('v')
    })

    it('says how to create the table when it is missing, on every call', async () => {
      const cache = await make(table('missing'))
      for (const call of [() => cache.get('k'), () => cache.set('k', 1), () => cache.scan!({}), () => cache.stats!(), () => cache.clear()]) {
        const err = await call().then(() => undefined, (e: unknown) => e)
        expect(err).toMatchObject({ code: 'E_SQL', details: { missingTable: expect.stringContaining('missing') } })
        expect((err as { hint: string }).hint).toMatch(/Create table button.*createcachetable/)
      }
    })

    it("culls as Django's _cull: expired rows first, then the first count // cullFrequency keys in key order", async () => {
      const t = table('cull')
      const cache = await make(t, { maxEntries: 5, cullFrequency: 3 })
      await cache.createTable!()
      for (let i = 0; i < 6; i++) await cache.set(`k${i}`, i)
      expect(await rowCount(t)).toBe(6) // Django culls when the count exceeds maxEntries before a write
      await cache.set('k6', 6)
      expect(await keysOf(t)).toEqual([':1:k2', ':1:k3', ':1:k4', ':1:k5', ':1:k6'])
      await cache.set('old', 'x', { timeout: 0 })
      await cache.set('k7', 7) // 6 rows > 5: the expired one goes, and then 5 are few enough
      expect(await keysOf(t)).toEqual([':1:k2', ':1:k3', ':1:k4', ':1:k5', ':1:k6', ':1:k7'])
      for (let i = 8; i < 30; i++) await cache.set(`k${i}`, i)
      expect(await rowCount(t)).toBeLessThanOrEqual(6)
      const clearing = await make(t, { maxEntries: 2, cullFrequency: 0 })
      await clearing.set('last', 1)
      expect(await keysOf(t)).toEqual([':1:last'])
    })

    it('deletes an expired row on get, replaces one on add, and keeps a live one from add', async () => {
      const t = table('expiry')
      const cache = await make(t)
      await cache.createTable!()
      await cache.set('gone', 1, { timeout: 0 })
      expect(await rowCount(t)).toBe(1)
      expect(await cache.add('gone', 2)).toBe(true)
      expect(await cache.get('gone')).toBe(2)
      expect(await cache.add('gone', 3)).toBe(false)
      await cache.set('gone', 4, { timeout: -5 })
      expect(await cache.hasKey('gone')).toBe(false)
      expect(await cache.get('gone')).toBeUndefined()
      expect(await rowCount(t)).toBe(0)
      expect(await cache.touch('gone')).toBe(false)
    })

    it('answers E_CACHE_CORRUPT for a value that is not base64 or not a pickle, and shows it as bytes', async () => {
      const t = table('corrupt')
      const cache = await make(t)
      await cache.createTable!()
      await cache.set('good', 1)
      const never = datetimeParam(null, server().vendor, 'UTC')
      await admin.query(`INSERT INTO ${t} (cache_key, value, expires) VALUES (?, ?, ?), (?, ?, ?)`, [':1:b64', 'not base64!', never, ':1:pickle', Buffer.from('no pickle').toString('base64'), never])
      await expect(cache.get('b64')).rejects.toMatchObject({ code: 'E_CACHE_CORRUPT', details: { key: ':1:b64' } })
      await expect(cache.get('pickle')).rejects.toMatchObject({ code: 'E_CACHE_CORRUPT', message: expect.stringContaining(':1:pickle') })
      expect(await cache.inspect!(':1:pickle')).toMatchObject({ encoding: 'bytes', raw: Buffer.from('no pickle').toString('base64'), ttl: null })
      expect(await cache.deleteStored!([':1:b64', ':1:pickle', ':1:none'])).toBe(2)
    })

    it('lists rows a page at a time in key order, filtered by pattern, with inspect and stats', async () => {
      const t = table('scan')
      const cache = await make(t, { keyPrefix: 'app' })
      await cache.createTable!()
      for (let i = 0; i < 7; i++) await cache.set(`user:${i}`, { i }, { timeout: 100 })
      await cache.set('order:1', 'o', { timeout: null })
      const keys: string[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const page = await cache.scan!({ pattern: 'app:*:user:*', cursor, count: 3 })
        keys.push(...page.entries.map((e) => e.key))
        for (const e of page.entries) expect(e.ttl).toBeGreaterThan(95)
        cursor = page.cursor
        expect(++pages).toBeLessThan(10)
      } while (cursor)
      expect(keys).toEqual(Array.from({ length: 7 }, (_, i) => `app:1:user:${i}`))
      expect(cache.storedPattern!('user:*')).toBe('app:*:user:*')
      expect(await cache.inspect!('app:1:order:1')).toMatchObject({ key: 'app:1:order:1', type: 'entry', ttl: null, encoding: 'pickle', value: 'o' })
      await cache.get('user:1')
      await cache.get('nope')
      expect(await cache.stats!()).toEqual({ keys: 8, hits: 1, misses: 1 })
    })

    it('is refused writes on a read-only data alias, and still reads', async () => {
      const t = table('readonly')
      const writer = await make(t)
      await writer.createTable!()
      await writer.set('k', 'v')
      const reader = await make(t, {}, await open({ readOnly: true }))
      expect(await reader.get('k')).toBe('v')
      await expect(reader.set('k', 'w')).rejects.toMatchObject({ code: 'E_READ_ONLY' })
      await expect(reader.clear()).rejects.toMatchObject({ code: 'E_READ_ONLY' })
      expect(await writer.get('k')).toBe('v')
    })

    const withDjango = djangoHere ? describe : describe.skip
    withDjango("with Django's DatabaseCache on the same table", () => {
      it('uses a table made by createcachetable, with the same columns and index as its own', async () => {
        const theirs = table('django_made')
        const ours = table('backplane_made')
        const d = django(theirs)
        await djangoCache(d.cache, [{ op: 'createcachetable' }], d.settings)
        await (await make(ours)).createTable!()
        const shape = (detail: TableDetail, name: string) => ({
          columns: detail.columns,
          primaryKey: detail.primaryKey,
          indexes: detail.indexes.map((i) => ({ ...i, name: i.name.replace(name, 'T') })).sort((a, b) => a.name.localeCompare(b.name)),
        })
        expect(shape(await admin.describe!({ name: ours }), ours)).toEqual(shape(await admin.describe!({ name: theirs }), theirs))
        const cache = await make(theirs)
        expect(await cache.createTable!()).toMatchObject({ created: false })
        await cache.set('k', 1)
        expect(await djangoCache(d.cache, [{ op: 'get', key: 'k' }], d.settings)).toEqual([{ value: 1 }])
      })

      it('reads every value Django writes, and writes every value so that Django reads it equal', async () => {
        const t = table('interop')
        await (await make(t)).createTable!()
        const d = django(t, { KEY_PREFIX: 'site', VERSION: 3 })
        await djangoCache(d.cache, Object.entries(DJANGO_VALUES).map(([key, value]) => ({ op: 'set' as const, key: `from-django:${key}`, value })), d.settings)
        const cache = await make(t, { keyPrefix: 'site', version: 3, maxEntries: 1000 })
        for (const [key, value] of Object.entries(DJANGO_VALUES)) expect(await cache.get(`from-django:${key}`), key).toEqual(value)
        for (const [key, value] of Object.entries(DJANGO_VALUES)) await cache.set(`from-backplane:${key}`, value)
        const keys = Object.keys(DJANGO_VALUES)
        const read = await djangoCache(d.cache, keys.map((key) => ({ op: 'get' as const, key: `from-backplane:${key}` })), d.settings)
        expect(Object.fromEntries(keys.map((k, i) => [k, read[i]]))).toEqual(Object.fromEntries(keys.map((k) => [k, { value: DJANGO_VALUES[k] }])))
      })

      it('agrees with Django on expiry, touch, add, has_key and incr', async () => {
        const t = table('semantics')
        const cache = await make(t)
        await cache.createTable!()
        const d = django(t)
        await cache.set('expired', 'x', { timeout: 0 })
        await cache.set('touched', 'y', { timeout: 1 })
        expect(await cache.touch('touched', { timeout: null })).toBe(true)
        await cache.set('n', 5)
        const results = await djangoCache(
          d.cache,
          [
            { op: 'get', key: 'expired' },
            { op: 'has_key', key: 'touched' },
            { op: 'add', key: 'n', value: 0 },
            { op: 'add', key: 'expired', value: 'replaced' },
            { op: 'incr', key: 'n', delta: 2 },
            { op: 'set', key: 'short', value: 's', timeout: 0 },
            { op: 'set', key: 'later', value: 'l', timeout: 600 },
          ],
          d.settings,
        )
        expect(results).toEqual([{ missing: true }, true, false, true, 7, true, true])
        expect(await cache.get('expired')).toBe('replaced')
        expect(await cache.get('n')).toBe(7)
        expect(await cache.hasKey('short')).toBe(false)
        const later = await cache.inspect!(':1:later')
        expect(later!.ttl).toBeGreaterThan(590)
        expect(later!.ttl).toBeLessThanOrEqual(600)
        const [row] = (await admin.query(`SELECT expires FROM ${t} WHERE cache_key = ?`, [':1:touched'])).rows
        expect(parseDatetime(row![0], 'UTC')).toBe(Date.UTC(9999, 11, 31, 23, 59, 59))
      })

      it('answers E_CACHE_CORRUPT where Django fails on a damaged row', async () => {
        const t = table('django_corrupt')
        await (await make(t)).createTable!()
        await (await make(t)).set('k', 'v')
        await admin.query(`UPDATE ${t} SET value = ? WHERE cache_key = ?`, [Buffer.from('garbage').toString('base64'), ':1:k'])
        const d = django(t)
        const [theirs] = await withDjangoCache(d.cache, [{ op: 'get', key: 'k' }], d.settings)
        expect(theirs).toHaveProperty('error')
        await expect((await make(t)).get('k')).rejects.toMatchObject({ code: 'E_CACHE_CORRUPT' })
      })
    })
  })
}

databaseCacheSuite('database cache on SQLite', () => {
  const name = join(dataCtx.dataDir, 'cache.sqlite3')
  return {
    vendor: 'sqlite',
    open: (options = {}) => createBackend<Database>(sqliteEngine, { name, ...options }, dataCtx),
    django: () => ({ ENGINE: 'django.db.backends.sqlite3', NAME: name }),
  }
})

function fromUrl(url: string) {
  const u = new URL(url)
  return { host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), name: u.pathname.slice(1) }
}

function networkServer(vendor: 'postgresql' | 'mysql', env: ServiceEnv): Server {
  const url = fromUrl(vendor === 'postgresql' ? env.BACKPLANE_TEST_POSTGRES_URL! : env.BACKPLANE_TEST_MYSQL_URL!)
  const engine = vendor === 'postgresql' ? postgresqlEngine : mysqlEngine
  return {
    vendor,
    open: (options = {}) => createBackend<Database>(engine, { ...url, ...options }, dataCtx),
    django: () => ({
      ENGINE: vendor === 'postgresql' ? 'django.db.backends.postgresql' : 'django.db.backends.mysql',
      NAME: url.name,
      USER: url.user,
      PASSWORD: url.password,
      HOST: url.host,
      PORT: String(url.port),
    }),
  }
}

describeService('postgres', 'database cache on the testbed PostgreSQL', (env) => databaseCacheSuite('database cache on PostgreSQL', () => networkServer('postgresql', env)))
describeService('mysql', 'database cache on the testbed MariaDB', (env) => databaseCacheSuite('database cache on MySQL/MariaDB', () => networkServer('mysql', env)))

describe('database cache datetimes, as Django writes them', () => {
  it("writes naive UTC with USE_TZ, wall-clock time in a zone without, datetime.max for never, and PostgreSQL's with its offset", () => {
    const at = Date.UTC(2024, 0, 2, 3, 4, 5, 900) / 1000
    expect(datetimeParam(at, 'sqlite', 'UTC')).toBe('2024-01-02 03:04:05')
    expect(datetimeParam(at, 'mysql', 'UTC')).toBe('2024-01-02 03:04:05')
    expect(datetimeParam(at, 'postgresql', 'UTC')).toBe('2024-01-02 03:04:05+00:00')
    expect(datetimeParam(null, 'sqlite', 'UTC')).toBe('9999-12-31 23:59:59')
    expect(datetimeParam(1e13, 'sqlite', 'UTC')).toBe('9999-12-31 23:59:59')
    expect(datetimeParam(at, 'sqlite', 'America/Chicago')).toBe('2024-01-01 21:04:05')
    expect(datetimeParam(at, 'postgresql', 'Asia/Kolkata')).toBe('2024-01-02 08:34:05+05:30')
    const summer = Date.UTC(2024, 6, 2, 3, 4, 5) / 1000
    expect(datetimeParam(summer, 'postgresql', 'America/Chicago')).toBe('2024-07-01 22:04:05-05:00')
    const local = new Date(at * 1000)
    const pad = (n: number) => String(n).padStart(2, '0')
    expect(datetimeParam(at, 'sqlite', undefined)).toBe(`${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())} ${pad(local.getHours())}:${pad(local.getMinutes())}:05`)
  })

  it('reads the forms each server answers with', () => {
    const utc = Date.UTC(2024, 0, 2, 3, 4, 5)
    expect(parseDatetime('2024-01-02 03:04:05', 'UTC')).toBe(utc)
    expect(parseDatetime('2024-01-02 03:04:05.000000', 'UTC')).toBe(utc)
    expect(parseDatetime('2024-01-02T04:04:05+01:00', undefined)).toBe(utc)
    expect(parseDatetime('2024-01-02T03:04:05.250Z', undefined)).toBe(utc + 250)
    expect(parseDatetime('2024-01-01 21:04:05', 'America/Chicago')).toBe(utc)
    expect(parseDatetime('2024-07-01 22:04:05', 'America/Chicago')).toBe(Date.UTC(2024, 6, 2, 3, 4, 5))
    expect(parseDatetime('2024-01-02 03:04:05', undefined)).toBe(new Date(2024, 0, 2, 3, 4, 5).getTime())
    expect(parseDatetime('yesterday', 'UTC')).toBeUndefined()
  })
})

describe('database cache with USE_TZ off (SQLite)', () => {
  // A zone that is not UTC, so that local time and UTC differ (Node follows TZ set at run time).
  const zone = 'America/Chicago'
  let savedTz: string | undefined
  beforeAll(() => {
    savedTz = process.env.TZ
    process.env.TZ = zone
  })
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ
    else process.env.TZ = savedTz
  })

  it('stores expiry times in local time', async () => {
    const name = join(dataCtx.dataDir, 'local-time.sqlite3')
    const db = await createBackend<Database>(sqliteEngine, { name }, dataCtx)
    try {
      const cache = await createBackend<Cache>(databaseEngine, { location: 'local_cache', useTz: false }, testContext('cache', { backends: { 'data:default': db } }))
      await cache.createTable!()
      const before = Math.floor(Date.now() / 1000)
      await cache.set('k', 'v', { timeout: 3600 })
      const after = Math.floor(Date.now() / 1000)
      const [[expires]] = (await db.query('SELECT expires FROM local_cache')).rows as [[string]]
      expect([datetimeParam(before + 3600, 'sqlite', zone), datetimeParam(after + 3600, 'sqlite', zone)]).toContain(expires)
      expect(expires).not.toBe(datetimeParam(before + 3600, 'sqlite', 'UTC'))
    } finally {
      await db.close()
    }
  })

  it("stores them in the project's TIME_ZONE when one is given, whatever this computer's zone", async () => {
    const db = await createBackend<Database>(sqliteEngine, { name: join(dataCtx.dataDir, 'kolkata.sqlite3') }, dataCtx)
    try {
      const cache = await createBackend<Cache>(databaseEngine, { location: 'zoned', useTz: false, timeZone: 'Asia/Kolkata' }, testContext('cache', { backends: { 'data:default': db } }))
      await cache.createTable!()
      const before = Math.floor(Date.now() / 1000)
      await cache.set('k', 'v', { timeout: 60 })
      const [[expires]] = (await db.query('SELECT expires FROM zoned')).rows as [[string]]
      expect([datetimeParam(before + 60, 'sqlite', 'Asia/Kolkata'), datetimeParam(before + 61, 'sqlite', 'Asia/Kolkata')]).toContain(expires)
      expect((await cache.inspect!(':1:k'))!.ttl).toBeGreaterThan(55)
      expect(() => databaseEngine.options.parse({ location: 't', timeZone: 'Mars/Olympus' })).toThrow(/time zone/)
    } finally {
      await db.close()
    }
  })

  it.runIf(djangoHere)('shares local times with a Django app whose USE_TZ is False', async () => {
    const name = join(dataCtx.dataDir, 'local-time-django.sqlite3')
    const db = await createBackend<Database>(sqliteEngine, { name }, dataCtx)
    try {
      const cache = await createBackend<Cache>(databaseEngine, { location: 'local_cache', useTz: false }, testContext('cache', { backends: { 'data:default': db } }))
      await cache.createTable!()
      await cache.set('k', 'v', { timeout: 3600 })
      const settings = { USE_TZ: false, TIME_ZONE: zone, DATABASES: { default: { ENGINE: 'django.db.backends.sqlite3', NAME: name } } }
      const backend = { BACKEND: 'django.core.cache.backends.db.DatabaseCache', LOCATION: 'local_cache' }
      const ops = [{ op: 'get', key: 'k' }, { op: 'has_key', key: 'k' }, { op: 'set', key: 'theirs', value: 1, timeout: 60 }] as const
      const results = await withDjangoCache(backend, [...ops], settings)
      expect(results).toEqual([{ ok: { value: 'v' } }, { ok: true }, { ok: true }])
      expect(await cache.get('theirs')).toBe(1)
      expect((await cache.inspect!(':1:theirs'))!.ttl).toBeGreaterThan(55)
    } finally {
      await db.close()
    }
  })
})
