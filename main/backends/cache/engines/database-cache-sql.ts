import type { SqlDialect } from '../../data/dialect'
import { BackplaneError, ErrorCode } from '../../../core/errors'

/**
 * The SQL of Django's DatabaseCache (django/core/cache/backends/db.py) and createcachetable, per
 * server, and its datetimes: `expires` is written as Django's connection.ops.adapt_datetimefield_value
 * writes it, so that the comparisons Django makes in SQL (`expires > now` in has_key, `expires < now`
 * in _cull) agree between Django and Backplane on one table — on SQLite they compare text.
 */

/**
 * The column types Django's createcachetable emits (CharField, TextField, DateTimeField), read from
 * `manage.py createcachetable --dry-run` on Django 3.2 against each server.
 */
const COLUMN_TYPES: Readonly<Record<string, { value: string; expires: string }>> = {
  sqlite: { value: 'text', expires: 'datetime' },
  postgresql: { value: 'text', expires: 'timestamp with time zone' },
  mysql: { value: 'longtext', expires: 'datetime(6)' },
}

/** CREATE TABLE and CREATE INDEX exactly as createcachetable writes them (without the final semicolons). */
export function createTableStatements(vendor: string, dialect: SqlDialect, table: string): string[] {
  const types = COLUMN_TYPES[vendor]
  if (!types) {
    throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `Backplane creates the cache table on SQLite, PostgreSQL and MySQL/MariaDB, not ${dialect.name}.`, {
      hint: "Run Django's manage.py createcachetable against this database.",
    })
  }
  const q = (name: string) => dialect.quoteIdentifier(name)
  return [
    [
      `CREATE TABLE ${q(table)} (`,
      `    ${q('cache_key')} varchar(255) NOT NULL PRIMARY KEY,`,
      `    ${q('value')} ${types.value} NOT NULL,`,
      `    ${q('expires')} ${types.expires} NOT NULL`,
      ')',
    ].join('\n'),
    `CREATE INDEX ${q(`${table}_expires`)} ON ${q(table)} (${q('expires')})`,
  ]
}

/** connection.ops.cache_key_culling_sql(): the first key after the `offset` smallest. */
export function cullingSql(vendor: string, quotedTable: string, offset: number): string {
  const n = Math.max(0, Math.trunc(offset))
  return vendor === 'oracle'
    ? `SELECT cache_key FROM ${quotedTable} ORDER BY cache_key OFFSET ${n} ROWS FETCH FIRST 1 ROWS ONLY`
    : `SELECT cache_key FROM ${quotedTable} ORDER BY cache_key LIMIT 1 OFFSET ${n}`
}

// datetime.max.replace(microsecond=0): what Django stores for "never expires".
const NEVER: Fields = { year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59 }
const NEVER_SECONDS = 253402300799

/**
 * Where the table's zone-less datetimes are: `UTC` (USE_TZ), an IANA zone (Django's TIME_ZONE, which a
 * Django project without USE_TZ also makes its process's local time), or undefined for this computer's.
 */
export type NaiveZone = string | undefined

/**
 * An expiry (epoch seconds, or null for never) as Django's _base_set() sends it: datetime.utcfromtimestamp
 * (USE_TZ) or datetime.fromtimestamp (local time), microseconds dropped, written `YYYY-MM-DD HH:MM:SS`.
 * PostgreSQL's column has a zone and would read a bare time in the session's TimeZone (Django sets it to
 * UTC, or TIME_ZONE without USE_TZ); the offset is written out, so no session setting matters.
 */
export function datetimeParam(epochSeconds: number | null, vendor: string, zone: NaiveZone): string {
  // Python's datetime stops at year 9999 (it would raise OverflowError); "never" is as far as it goes.
  const seconds = epochSeconds === null || epochSeconds >= NEVER_SECONDS ? null : Math.floor(epochSeconds)
  const fields = seconds === null ? NEVER : fieldsIn(seconds * 1000, zone)
  const text = `${pad(fields.year, 4)}-${pad(fields.month)}-${pad(fields.day)} ${pad(fields.hour)}:${pad(fields.minute)}:${pad(fields.second)}`
  if (vendor !== 'postgresql') return text
  // For "never", the zone's offset on the last day JS dates know there, near enough.
  const offset = Math.round(offsetMinutes(seconds === null ? Date.UTC(9999, 11, 31) : seconds * 1000, zone))
  return `${text}${offset < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
}

interface Fields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The wall clock of a zone at a moment. */
function fieldsIn(ms: number, zone: NaiveZone): Fields {
  const d = new Date(ms)
  if (zone === undefined) return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() }
  if (zone === 'UTC') return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }
  let format = formatters.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    formatters.set(zone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(d).map((p) => [p.type, Number(p.value)]))
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! }
}

/** The zone's offset from UTC at a moment, in minutes (east positive). */
function offsetMinutes(ms: number, zone: NaiveZone): number {
  const f = fieldsIn(Math.floor(ms / 1000) * 1000, zone)
  return (Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(ms / 1000) * 1000) / 60_000
}

/** The moment a zone's wall clock shows these fields (the earlier one, in an hour that repeats). */
function momentOf(f: Fields, ms: number, zone: NaiveZone): number {
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, ms)
  if (zone === 'UTC') return asUtc
  if (zone === undefined) return new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, ms).getTime()
  const first = asUtc - offsetMinutes(asUtc, zone) * 60_000
  return asUtc - offsetMinutes(first, zone) * 60_000
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

const DATETIME = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s*(Z|[+-]\d\d(?::?\d\d)?)?$/i

/**
 * An `expires` cell as epoch ms: a time with an offset (PostgreSQL's) is that moment; a bare one is in
 * the naive zone, as Django's converters read it. Undefined for text that is no datetime.
 */
export function parseDatetime(cell: unknown, zone: NaiveZone): number | undefined {
  if (cell instanceof Date) return cell.getTime()
  if (typeof cell !== 'string') return undefined
  if (/^infinity$/i.test(cell)) return Number.POSITIVE_INFINITY
  if (/^-infinity$/i.test(cell)) return Number.NEGATIVE_INFINITY
  const m = DATETIME.exec(cell.trim())
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const ms = m[7] ? Number(`0.${m[7]}`) * 1000 : 0
  const offset = m[8]
  if (!offset) return momentOf({ year, month, day, hour, minute, second }, ms, zone)
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  if (/^z$/i.test(offset)) return utc
  const digits = offset.replace(':', '')
  const minutes = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0)) * (digits[0] === '-' ? -1 : 1)
  return utc - minutes * 60_000
}
