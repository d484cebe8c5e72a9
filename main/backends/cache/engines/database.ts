import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { Database, SqlDialect } from '../../data/base'
import {
  BaseCache,
  CacheOptions,
  globMatcher,
  type CacheEntryDetail,
  type CacheScan,
  type CacheStats,
  type CacheValue,
  type KeyOptions,
  type SetOptions,
} from '../base'
import { storedDetail, valueCodec } from '../codec'
import type { DecodedValue, ValueCodec } from '../codec/types'
import { createTableStatements, cullingSql, datetimeParam, parseDatetime, type NaiveZone } from './database-cache-sql'
import { backendExpiry, unpickled } from './django-stored'

const DatabaseCacheOptions = CacheOptions.extend({
  database: z.string().min(1).default('default').describe('The data alias whose database holds the cache table.'),
  location: z
    .string()
    .min(1, 'Name the cache table.')
    .max(255)
    .describe("The cache table (Django: LOCATION); make it with the Create table button or Django's manage.py createcachetable."),
  maxEntries: z.number().int().min(1).default(300).describe('Rows kept before culling (Django: MAX_ENTRIES).'),
  cullFrequency: z.number().int().min(0).default(3).describe('When full, delete 1/N of the rows, by key order; 0 deletes all (Django: CULL_FREQUENCY).'),
  useTz: z
    .boolean()
    .default(true)
    .describe("The Django project's USE_TZ: on, expiry times are stored in UTC (a new project's default); off, in local time."),
  timeZone: z
    .string()
    .default('')
    .refine((zone) => zone === '' || isTimeZone(zone), 'Name a time zone such as Europe/Paris, as Django\'s TIME_ZONE.')
    .describe("With USE_TZ off: the project's TIME_ZONE, which Django also makes its local time; empty for this computer's."),
})
type DatabaseCacheOptions = z.output<typeof DatabaseCacheOptions>

/** Keys per DELETE … IN (…): well under SQLite's and every server's limit on parameters. */
const KEYS_PER_STATEMENT = 500

type Mode = 'set' | 'add' | 'touch'

/** The table's SQL on one data backend, quoted in its dialect. */
interface Table {
  db: Database
  dialect: SqlDialect
  /** The quoted table name. */
  t: string
}

/**
 * Django's DatabaseCache on any data alias: base64 pickles in the table createcachetable makes
 * (cache_key, value, expires), read and written with Django's own statements, so a Django app using the
 * same table shares its entries. Each statement goes through the data alias, which keeps its read-only
 * fence: writes to a read-only alias are refused with E_READ_ONLY.
 */
class DatabaseCache extends BaseCache {
  private readonly options: DatabaseCacheOptions
  /** Where the table's zone-less datetimes are (see NaiveZone). */
  private readonly zone: NaiveZone

  constructor(
    options: DatabaseCacheOptions,
    ctx: EngineContext,
    private readonly codec: ValueCodec,
  ) {
    super(options, ctx)
    this.options = options
    this.zone = options.useTz ? 'UTC' : options.timeZone || undefined
  }

  async get(key: string, options?: KeyOptions): Promise<CacheValue | undefined> {
    return (await this.getMany([key], options)).get(key)
  }

  /** Django's get_many(): one SELECT; expired rows are deleted afterwards. */
  override async getMany(keys: readonly string[], options?: KeyOptions): Promise<Map<string, CacheValue>> {
    const found = new Map<string, CacheValue>()
    if (keys.length === 0) return found
    const byStored = new Map<string, string>()
    for (const key of keys) byStored.set(this.storedKey(key, options), key)
    return this.run(async (table) => {
      const now = Date.now()
      const expired: string[] = []
      const storedKeys = [...byStored.keys()]
      for (let i = 0; i < storedKeys.length; i += KEYS_PER_STATEMENT) {
        const chunk = storedKeys.slice(i, i + KEYS_PER_STATEMENT)
        const rows = await this.rows(table, `SELECT cache_key, value, expires FROM ${table.t} WHERE cache_key IN (${marks(chunk.length)})`, chunk)
        for (const [storedKey, value, expires] of rows) {
          const userKey = byStored.get(String(storedKey))
          if (userKey === undefined) continue
          if (this.expiresAt(String(storedKey), expires) < now) expired.push(String(storedKey))
          else found.set(userKey, (await this.decode(String(storedKey), value)).value)
        }
      }
      this.lookups.hits += found.size
      this.lookups.misses += byStored.size - found.size
      // A read-only alias cannot delete them: they stay, unread, for the application to replace.
      if (expired.length > 0 && !table.db.readOnly) await this.deleteRows(table, expired)
      return found
    })
  }

  async set(key: string, value: CacheValue, options?: SetOptions): Promise<void> {
    await this.baseSet('set', this.storedKey(key, options), value, options?.timeout)
  }

  async add(key: string, value: CacheValue, options?: SetOptions): Promise<boolean> {
    return this.baseSet('add', this.storedKey(key, options), value, options?.timeout)
  }

  async touch(key: string, options?: SetOptions): Promise<boolean> {
    return this.baseSet('touch', this.storedKey(key, options), undefined, options?.timeout)
  }

  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    const storedKey = this.storedKey(key, options)
    return this.run(async (table) => (await this.deleteRows(table, [storedKey])) > 0)
  }

  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<void> {
    const storedKeys = keys.map((key) => this.storedKey(key, options))
    if (storedKeys.length > 0) await this.run((table) => this.deleteRows(table, storedKeys))
  }

  /** Django's has_key(): the comparison made by the server, against now without its microseconds. */
  override async hasKey(key: string, options?: KeyOptions): Promise<boolean> {
    const storedKey = this.storedKey(key, options)
    return this.run(async (table) => {
      const result = await table.db.query(`SELECT cache_key FROM ${table.t} WHERE cache_key = ? and expires > ?`, [storedKey, this.now(table)])
      return result.rows.length > 0
    })
  }

  async clear(): Promise<void> {
    await this.run((table) => table.db.query(`DELETE FROM ${table.t}`))
  }

  /** Keyset pages in cache_key order (the cursor is the last key looked at), filtered by the glob here, expired rows left out. */
  override async scan({ pattern = '*', cursor = null, count = 100 }: { pattern?: string; cursor?: string | null; count?: number }): Promise<CacheScan> {
    const matches = globMatcher(pattern)
    const limit = Math.max(1, Math.min(10_000, Math.trunc(count)))
    return this.run(async (table) => {
      const where = cursor === null ? '' : ' WHERE cache_key > ?'
      const result = await table.db.query(
        `SELECT cache_key, expires, LENGTH(value) FROM ${table.t}${where} ORDER BY cache_key ${table.dialect.paging(limit, 0)}`,
        cursor === null ? [] : [cursor],
        { maxRows: limit },
      )
      const now = Date.now()
      const entries: CacheScan['entries'] = []
      for (const [key, expires, size] of result.rows) {
        const k = String(key)
        if (!matches(k)) continue
        const at = this.expiresAt(k, expires)
        if (at < now) continue
        entries.push({ key: k, ttl: ttlOf(at, now), size: Number(size) || 0 })
      }
      const last = result.rows.at(-1)?.[0]
      return { entries, cursor: result.rows.length === limit && last !== undefined ? String(last) : null }
    })
  }

  /** One row: the value decoded beside its pickle bytes (a damaged value is shown as its bytes). */
  override async inspect(storedKey: string): Promise<CacheEntryDetail | undefined> {
    return this.run(async (table) => {
      const [row] = await this.rows(table, `SELECT cache_key, value, expires FROM ${table.t} WHERE cache_key = ?`, [storedKey])
      if (!row) return undefined
      const now = Date.now()
      const at = this.expiresAt(storedKey, row[2])
      if (at < now) return undefined
      const text = textOf(row[1])
      const pickled = base64Bytes(text)
      const bytes = pickled ?? Buffer.from(text, 'utf8')
      return { key: storedKey, type: 'entry' as const, ttl: ttlOf(at, now), size: text.length, ...(await storedDetail(bytes, () => this.decode(storedKey, text))) }
    })
  }

  override async deleteStored(storedKeys: readonly string[]): Promise<number> {
    if (storedKeys.length === 0) return 0
    return this.run((table) => this.deleteRows(table, storedKeys))
  }

  override async stats(): Promise<CacheStats> {
    return this.run(async (table) => ({ keys: await this.count(table), ...this.lookups }))
  }

  /** Django's createcachetable: the table and its index on `expires`, unless the table exists. */
  override async createTable(): Promise<{ created: boolean; sql: string }> {
    const table = await this.table()
    const statements = createTableStatements(table.db.vendor, table.dialect, this.options.location)
    const sql = statements.map((s) => `${s};`).join('\n')
    if (await this.tableExists(table)) return { created: false, sql }
    // Another call (the button pressed twice, another client) may create it between the check and the
    // CREATE: when the CREATE fails and the table is there now, that is createcachetable run twice, not an error.
    const createdMeanwhile = async (err: unknown) => {
      if (await this.tableExists(table).catch(() => false)) return { created: false, sql }
      throw err
    }
    // In one transaction where DDL can be rolled back (SQLite, PostgreSQL), as createcachetable does:
    // a table without its index is never left behind.
    if (table.db.script && !table.dialect.ddlCommitsImplicitly) {
      const result = await table.db.script(`${table.dialect.begin};\n${sql}\nCOMMIT;`)
      if (result.failure) return createdMeanwhile(result.failure.error)
    } else {
      const [createTable, ...rest] = statements
      try {
        await table.db.query(createTable!)
      } catch (err) {
        return createdMeanwhile(err)
      }
      for (const statement of rest) await table.db.query(statement)
    }
    return { created: true, sql }
  }

  protected async serverVersion(): Promise<string> {
    const table = await this.table()
    const server = (await table.db.serverVersion?.().catch(() => undefined)) ?? table.db.vendor
    return `Django database cache in ${this.options.location} on "${this.options.database}" (${server})`
  }

  // --- Django's _base_set and _cull -------------------------------------------------------------

  /**
   * Django's _base_set(): count (and cull), then read the row and update or insert it. Django wraps the
   * read and the write in a transaction; at the isolation level of every server here that does not keep
   * another client from changing the row in between, and neither client locks it, so Backplane runs them
   * as separate statements with the same outcome: an insert that loses a race to another client's insert
   * fails, and the call answers false, as Django's does.
   */
  private async baseSet(mode: Mode, storedKey: string, value: CacheValue, timeout: number | null | undefined): Promise<boolean> {
    // Pickled before anything is written: a value that cannot be stored leaves the table as it was.
    const encoded = mode === 'touch' ? '' : Buffer.from(this.codec.encode(value).bytes).toString('base64')
    const expiry = backendExpiry(timeout, this.defaultTimeout)
    return this.run(async (table) => {
      const { db, t } = table
      const now = this.now(table)
      const exp = datetimeParam(expiry, db.vendor, this.zone)
      if ((await this.count(table)) > this.options.maxEntries) await this.cull(table, now)
      const [row] = (await db.query(`SELECT cache_key, expires FROM ${t} WHERE cache_key = ?`, [storedKey])).rows
      if (row && mode === 'touch') {
        await db.query(`UPDATE ${t} SET expires = ? WHERE cache_key = ?`, [exp, storedKey])
        return true
      }
      // Django compares with now truncated to the second.
      if (row && (mode === 'set' || (mode === 'add' && this.expiresAt(storedKey, row[1]) < Math.floor(Date.now() / 1000) * 1000))) {
        await db.query(`UPDATE ${t} SET value = ?, expires = ? WHERE cache_key = ?`, [encoded, exp, storedKey])
        return true
      }
      // Django tries the INSERT here too, and answers False when the live row makes it fail.
      if (row && mode === 'add') return false
      if (mode === 'touch') return false
      try {
        await db.query(`INSERT INTO ${t} (cache_key, value, expires) VALUES (?, ?, ?)`, [storedKey, encoded, exp])
      } catch (err) {
        // Another client inserted the key since the SELECT: "updates/inserts are allowed to fail silently".
        if (isSqlError(err) && (await db.query(`SELECT cache_key FROM ${t} WHERE cache_key = ?`, [storedKey])).rows.length > 0) return false
        throw err
      }
      return true
    })
  }

  /** Django's _cull(): expired rows go; then, still too many, the first count // cullFrequency keys in key order. */
  private async cull(table: Table, now: string): Promise<void> {
    const { db, t } = table
    if (this.options.cullFrequency === 0) {
      await db.query(`DELETE FROM ${t}`)
      return
    }
    await db.query(`DELETE FROM ${t} WHERE expires < ?`, [now])
    const num = await this.count(table)
    if (num <= this.options.maxEntries) return
    const [last] = (await db.query(cullingSql(db.vendor, t, Math.floor(num / this.options.cullFrequency)))).rows
    if (last) await db.query(`DELETE FROM ${t} WHERE cache_key < ?`, [last[0]])
  }

  // --- the table ----------------------------------------------------------------------------

  private storedKey(key: string, options?: KeyOptions): string {
    const stored = this.makeKey(key, options?.version)
    this.validateKey(stored)
    return stored
  }

  /** The data alias's live backend, asked for on every call, so an edit of that alias is followed. */
  private async table(): Promise<Table> {
    const db = await this.ctx.backend('data', this.options.database)
    const dialect = db.dialect
    if (!dialect) {
      throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `Data alias "${this.options.database}" (${db.vendor}) does not say how it quotes SQL, so the database cache cannot use it.`, {
        hint: 'Use a data alias of a built-in engine (SQLite, PostgreSQL, MySQL/MariaDB).',
      })
    }
    return { db, dialect, t: dialect.quoteIdentifier(this.options.location) }
  }

  /** Runs one operation on the table; a statement refused because the table is missing says how to make it. */
  private async run<T>(work: (table: Table) => Promise<T>): Promise<T> {
    const table = await this.table()
    try {
      return await work(table)
    } catch (err) {
      if (isSqlError(err) && !(await this.tableExists(table).catch(() => true))) throw this.missingTable(err)
      throw err
    }
  }

  private async tableExists(table: Table): Promise<boolean> {
    try {
      await table.db.query(`SELECT 1 FROM ${table.t} WHERE 1 = 0`)
      return true
    } catch (err) {
      if (isSqlError(err)) return false
      throw err
    }
  }

  private missingTable(cause: BackplaneError): BackplaneError {
    return new BackplaneError(ErrorCode.E_SQL, `The cache table ${this.options.location} does not exist in data alias "${this.options.database}".`, {
      hint: "Create the table: the Create table button, or Django's manage.py createcachetable.",
      cause,
      details: { ...(cause.details as Record<string, unknown> | undefined), missingTable: this.options.location },
    })
  }

  /** Rows in full: values can be far longer than the text a grid result keeps, so they come through stream() when the alias has it. */
  private async rows(table: Table, sql: string, params: readonly unknown[]): Promise<unknown[][]> {
    const { db } = table
    if (!db.stream) {
      const result = await db.query(sql, params, { maxRows: 100_000 })
      if (result.rows.some((row) => row.some((cell) => typeof cell === 'object' && cell !== null && 'truncated' in cell))) {
        throw new BackplaneError(ErrorCode.E_TOO_LARGE, `A value in ${this.options.location} is longer than data alias "${this.options.database}" hands out whole.`, {
          hint: 'Use a data alias of a built-in engine, which streams long values.',
        })
      }
      return result.rows
    }
    const rows: unknown[][] = []
    await db.stream(sql, params, { columns: () => undefined, rows: (batch) => void rows.push(...batch) })
    return rows
  }

  private async count(table: Table): Promise<number> {
    const result = await table.db.query(`SELECT COUNT(*) FROM ${table.t}`)
    return Number(result.rows[0]?.[0] ?? 0)
  }

  private async deleteRows(table: Table, storedKeys: readonly string[]): Promise<number> {
    let deleted = 0
    for (let i = 0; i < storedKeys.length; i += KEYS_PER_STATEMENT) {
      const chunk = storedKeys.slice(i, i + KEYS_PER_STATEMENT)
      deleted += (await table.db.query(`DELETE FROM ${table.t} WHERE cache_key IN (${marks(chunk.length)})`, chunk)).rowCount
    }
    return deleted
  }

  /** timezone.now() without microseconds, written for the server as Django's adapt_datetimefield_value writes it. */
  private now(table: Table): string {
    return datetimeParam(Math.floor(Date.now() / 1000), table.db.vendor, this.zone)
  }

  private expiresAt(storedKey: string, cell: unknown): number {
    const at = parseDatetime(cell, this.zone)
    if (at === undefined) throw this.damaged(storedKey, `its expires column holds ${JSON.stringify(cell)}, not a date and time`)
    return at
  }

  /** base64, then pickle, as Django's get_many() reads `value`. */
  private decode(storedKey: string, cell: unknown): Promise<DecodedValue> {
    const pickled = base64Bytes(textOf(cell))
    if (!pickled) throw this.damaged(storedKey, 'its value is not base64')
    return unpickled(pickled, (reason) => this.damaged(storedKey, reason), this.codec)
  }

  private damaged(storedKey: string, reason: string): BackplaneError {
    return new BackplaneError(ErrorCode.E_CACHE_CORRUPT, `The row "${storedKey}" of cache table ${this.options.location} is damaged: ${reason}.`, {
      hint: 'Delete the key and let the application set it again.',
      details: { key: storedKey, table: this.options.location },
    })
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ')
}

function isSqlError(err: unknown): err is BackplaneError {
  return err instanceof BackplaneError && err.code === ErrorCode.E_SQL
}

function ttlOf(expiresAt: number, now: number): number | null {
  // Django's datetime.max (year 9999) is how the table says "never".
  return expiresAt >= Date.UTC(9999, 0, 1) ? null : Math.max(0, Math.ceil((expiresAt - now) / 1000))
}

/** The `value` cell as text: a string, or bytes from a driver that hands a long text column out as them. */
function textOf(cell: unknown): string {
  if (typeof cell === 'string') return cell
  if (typeof cell === 'object' && cell !== null && typeof (cell as { $bytes?: unknown }).$bytes === 'string') {
    return Buffer.from((cell as { $bytes: string }).$bytes, 'base64').toString('latin1')
  }
  return cell === null || cell === undefined ? '' : String(cell)
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The bytes of strict base64 (Node's own decoder skips what it cannot read), or undefined. */
function base64Bytes(text: string): Buffer | undefined {
  const trimmed = text.trim()
  if (trimmed.length % 4 !== 0 || !BASE64.test(trimmed)) return undefined
  return Buffer.from(trimmed, 'base64')
}

export const databaseEngine = defineEngine({
  kind: 'cache',
  id: 'database',
  title: 'Database table',
  description: "A table in Django's createcachetable shape on any data alias, as Django's DatabaseCache: shared with a Django app using the same table.",
  options: DatabaseCacheOptions,
  create: (options, ctx) => new DatabaseCache(options, ctx, valueCodec('pickle', 'django')),
})
