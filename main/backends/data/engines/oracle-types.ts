import oracledb, { type FetchTypeResponse, type Metadata } from 'oracledb'
import { jsonCell } from '../cells'
import type { Column } from '../types'

/**
 * How each Oracle type reaches the grid, decided per column by node-oracledb's fetchTypeHandler (passed
 * with each execute, never set globally). What Thin mode gives and what is made of it:
 * - NUMBER: fetched as its decimal text, so nothing is rounded; a safe integer becomes a number, anything
 *   else (a scale, a fraction, beyond 2^53) stays text, as cells.ts wants decimals.
 * - DATE, TIMESTAMP: the driver builds a local Date from the stored fields; reading the same local fields
 *   back gives the stored wall-clock time whatever this computer's zone. Thin mode keeps milliseconds.
 * - TIMESTAMP WITH (LOCAL) TIME ZONE: an exact instant, shown as ISO text in UTC (`…Z`): Thin mode does not
 *   hand over the stored zone.
 * - RAW, BLOB: bytes; CLOB, NCLOB: text (read whole: the grid cuts it); JSON (21c): a JSON cell, as are
 *   VARCHAR2/CLOB columns with an IS JSON constraint and object types (as their toJSON()).
 * - INTERVAL: Oracle's own text (`+02 03:04:05.5`); VECTOR: a list of numbers.
 * SQL NULL stays null, and the text 'NULL' stays text.
 */
export function oracleFetchType(metadata: Metadata<unknown>): FetchTypeResponse | undefined {
  switch (metadata.dbType) {
    case oracledb.DB_TYPE_NUMBER: {
      const scale = metadata.scale
      return { type: oracledb.DB_TYPE_VARCHAR, converter: (v: unknown) => numberCell(v as string | null, scale) }
    }
    case oracledb.DB_TYPE_DATE:
      return { converter: (v: unknown) => (v instanceof Date ? wallClockText(v, 0) : v) }
    case oracledb.DB_TYPE_TIMESTAMP: {
      const digits = Math.min(metadata.precision ?? 6, 3)
      return { converter: (v: unknown) => (v instanceof Date ? wallClockText(v, digits) : v) }
    }
    case oracledb.DB_TYPE_TIMESTAMP_TZ:
    case oracledb.DB_TYPE_TIMESTAMP_LTZ:
      return { converter: (v: unknown) => (v instanceof Date ? instantText(v) : v) }
    case oracledb.DB_TYPE_CLOB:
    case oracledb.DB_TYPE_NCLOB:
      return { type: oracledb.DB_TYPE_VARCHAR, ...(metadata.isJson ? { converter: jsonTextCell } : {}) }
    case oracledb.DB_TYPE_VARCHAR:
    case oracledb.DB_TYPE_NVARCHAR:
      return metadata.isJson ? { converter: jsonTextCell } : undefined
    case oracledb.DB_TYPE_BLOB:
      return { type: oracledb.DB_TYPE_RAW }
    case oracledb.DB_TYPE_JSON:
      return { converter: (v: unknown) => (v === null || v === undefined ? null : jsonCell(v)) }
    case oracledb.DB_TYPE_INTERVAL_DS:
      return { converter: (v: unknown) => (v && typeof v === 'object' ? intervalDayToSecondText(v as oracledb.IntervalDS) : v) }
    case oracledb.DB_TYPE_INTERVAL_YM:
      return { converter: (v: unknown) => (v && typeof v === 'object' ? intervalYearToMonthText(v as oracledb.IntervalYM) : v) }
    case oracledb.DB_TYPE_VECTOR:
      // A typed array (FLOAT32, INT8, BINARY as Uint8Array) as a list of numbers, not as bytes or "1,2,3".
      return { converter: (v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v) }
    case oracledb.DB_TYPE_OBJECT:
      // A named type or collection, as the plain object (or array) its toJSON() gives.
      return { converter: (v: unknown) => (v && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? jsonCell((v as { toJSON(): unknown }).toJSON()) : v) }
    default:
      return undefined
  }
}

/** A NUMBER's decimal text as a cell: a safe integer as a number, anything with a scale or beyond 2^53 as the text. */
export function numberCell(text: string | null | undefined, scale?: number): number | string | null {
  if (text === null || text === undefined) return null
  if (scale !== undefined && scale > 0) return text
  if (/^-?\d+$/.test(text)) {
    const n = Number(text)
    if (Number.isSafeInteger(n)) return n
  }
  return text
}

/** `2024-03-31 02:30:00[.123]` from a Date's local fields: the stored DATE or TIMESTAMP, no zone applied. */
export function wallClockText(date: Date, fractionDigits: number): string {
  const two = (n: number) => String(n).padStart(2, '0')
  const year = date.getFullYear()
  const text = `${year < 0 ? '-' : ''}${String(Math.abs(year)).padStart(4, '0')}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  return fractionDigits > 0 ? `${text}.${String(date.getMilliseconds()).padStart(3, '0').slice(0, fractionDigits)}` : text
}

/** An instant as ISO text with its offset (UTC, `Z`). */
export function instantText(date: Date): string {
  return Number.isNaN(date.getTime()) ? String(date) : date.toISOString()
}

/** Oracle's own spelling: `+02 03:04:05.5` (INTERVAL DAY TO SECOND); fseconds are nanoseconds. */
export function intervalDayToSecondText(v: oracledb.IntervalDS): string {
  const parts = [v.days ?? 0, v.hours ?? 0, v.minutes ?? 0, v.seconds ?? 0, v.fseconds ?? 0]
  const sign = parts.some((p) => p < 0) ? '-' : '+'
  const [days, hours, minutes, seconds, nanos] = parts.map(Math.abs) as [number, number, number, number, number]
  const two = (n: number) => String(n).padStart(2, '0')
  const fraction = nanos > 0 ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : ''
  return `${sign}${two(days)} ${two(hours)}:${two(minutes)}:${two(seconds)}${fraction}`
}

/** `+01-02` (INTERVAL YEAR TO MONTH). */
export function intervalYearToMonthText(v: oracledb.IntervalYM): string {
  const years = v.years ?? 0
  const months = v.months ?? 0
  const sign = years < 0 || months < 0 ? '-' : '+'
  return `${sign}${String(Math.abs(years)).padStart(2, '0')}-${String(Math.abs(months)).padStart(2, '0')}`
}

/** Text a column's IS JSON constraint vouches for, as a JSON cell; text that does not parse stays text. */
function jsonTextCell(v: unknown): unknown {
  if (typeof v !== 'string') return v
  try {
    return jsonCell(JSON.parse(v))
  } catch {
    return v
  }
}

/** A result column: its name and the server's type name (`NUMBER`, `TIMESTAMP WITH TIME ZONE`). */
export function columnOf<T>(metadata: Metadata<T>): Column {
  return { name: metadata.name, ...(metadata.dbTypeName ? { type: metadata.dbTypeName } : {}) }
}

/** A catalog row of ALL_TAB_COLUMNS spelled as a column definition: `VARCHAR2(100 CHAR)`, `NUMBER(10,2)`, `RAW(16)`. */
export interface CatalogColumnType {
  DATA_TYPE: string
  DATA_LENGTH?: number | null
  DATA_PRECISION?: number | null
  DATA_SCALE?: number | null
  CHAR_LENGTH?: number | null
  CHAR_USED?: string | null
}

export function declaredType(c: CatalogColumnType): string {
  switch (c.DATA_TYPE) {
    case 'NUMBER':
      if (c.DATA_PRECISION === null || c.DATA_PRECISION === undefined) return c.DATA_SCALE === 0 ? 'NUMBER(*,0)' : 'NUMBER'
      return c.DATA_SCALE ? `NUMBER(${c.DATA_PRECISION},${c.DATA_SCALE})` : `NUMBER(${c.DATA_PRECISION})`
    case 'FLOAT':
      return c.DATA_PRECISION ? `FLOAT(${c.DATA_PRECISION})` : 'FLOAT'
    case 'VARCHAR2':
    case 'CHAR':
      return `${c.DATA_TYPE}(${c.CHAR_LENGTH ?? c.DATA_LENGTH}${c.CHAR_USED === 'C' ? ' CHAR' : c.CHAR_USED === 'B' ? ' BYTE' : ''})`
    case 'NVARCHAR2':
    case 'NCHAR':
      return `${c.DATA_TYPE}(${c.CHAR_LENGTH ?? c.DATA_LENGTH})`
    case 'RAW':
      return `RAW(${c.DATA_LENGTH})`
    default:
      return c.DATA_TYPE
  }
}
