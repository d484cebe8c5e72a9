import { types, type CustomTypesConfig } from 'pg'
import { jsonCell } from '../cells'

/**
 * How PostgreSQL's text output becomes driver values that cells.ts turns into JSON losing nothing. The
 * parsers sit on each pool's own `types` (pg's client config), never on pg's global ones, and every type
 * not named here stays the server's text: numeric, money, uuid, interval, inet, dates and times without a
 * zone (never shifted into this computer's zone), ranges, enums and whatever an extension adds.
 */

type Parse = (text: string) => unknown

const BOOL = 16
const BYTEA = 17
const INT8 = 20
const INT2 = 21
const INT4 = 23
const OID = 26
const JSON_OID = 114
const FLOAT4 = 700
const FLOAT8 = 701
const TIMESTAMPTZ = 1184
const JSONB = 3802

const parseBytea = types.getTypeParser(BYTEA, 'text') as Parse
const parseJson: Parse = (text) => jsonCell(JSON.parse(text))

/**
 * `2024-01-02 03:04:05.123456+01` (DateStyle ISO) as ISO 8601 with its offset written out,
 * `2024-01-02T03:04:05.123456+01:00`: the server's digits, none lost (a Date would drop the
 * microseconds). Other forms (infinity, BC, an offset with seconds, another DateStyle) stay as sent.
 */
export function isoTimestamptz(text: string): string {
  const m = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::(\d{2}))?$/.exec(text)
  return m ? `${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}` : text
}

const SCALARS: Readonly<Record<number, Parse>> = {
  [BOOL]: (text) => text === 't',
  [BYTEA]: parseBytea,
  // Exact whatever its size: cells.ts answers a number within ±2^53 and decimal text beyond.
  [INT8]: (text) => BigInt(text),
  [INT2]: Number,
  [INT4]: Number,
  [OID]: Number,
  // PostgreSQL 12+ prints the shortest text that reads back as the same float, so Number() loses nothing.
  [FLOAT4]: Number,
  [FLOAT8]: Number,
  [JSON_OID]: parseJson,
  [JSONB]: parseJson,
  [TIMESTAMPTZ]: isoTimestamptz,
}

/** Array types of the built-in scalars, by OID, with their element's OID (pg_type.typelem). */
const BUILTIN_ARRAYS: Readonly<Record<number, number>> = {
  1000: BOOL,
  1001: BYTEA,
  1016: INT8,
  1005: INT2,
  1007: INT4,
  1028: OID,
  199: JSON_OID,
  3807: JSONB,
  1021: FLOAT4,
  1022: FLOAT8,
  1185: TIMESTAMPTZ,
}

interface TypeInfo {
  name: string
  /** For an array type, its element type. */
  element?: number
  /** The element separator of an array type's text form (`,` for all but box). */
  delimiter?: string
}

/** A built-in type's name by OID (`int8`, `timestamptz`), from pg's own list of them. */
const BUILTIN_NAMES = new Map<number, string>(Object.entries(types.builtins).map(([name, oid]) => [oid as number, name.toLowerCase()]))

/**
 * The server's types, by OID, for column type names and for arrays of any type: loaded once per pool
 * (every type but tables' row types), then the OIDs a result named that were not known yet.
 */
export class TypeCatalogue {
  private readonly known = new Map<number, TypeInfo>()
  private readonly missing = new Set<number>()
  private loaded = false

  /** The pg `types` option of the pool's clients. */
  readonly parsers: CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: string) => (format === 'binary' ? types.getTypeParser(oid, 'binary') : this.textParser(oid))) as CustomTypesConfig['getTypeParser'],
  }

  /** The SQL reading the catalogue, and the one reading the OIDs seen since; undefined when nothing is to be read. */
  pendingQuery(): { text: string; values: unknown[] } | undefined {
    const columns = 't.oid, t.typname, t.typelem, t.typdelim, e.typname'
    const from = "pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'"
    if (!this.loaded) return { text: `SELECT ${columns} FROM ${from} WHERE t.typtype <> 'c' AND (e.oid IS NULL OR e.typtype <> 'c')`, values: [] }
    if (this.missing.size === 0) return undefined
    return { text: `SELECT ${columns} FROM ${from} WHERE t.oid = ANY($1::oid[])`, values: [[...this.missing].map(String)] }
  }

  /** Takes the rows of pendingQuery() (oid, typname, typelem, typdelim, element's typname). */
  learn(rows: unknown[][]): void {
    for (const [oid, name, element, delimiter, elementName] of rows) {
      const info: TypeInfo = elementName ? { name: `${String(elementName)}[]`, element: Number(element), delimiter: String(delimiter) } : { name: String(name) }
      this.known.set(Number(oid), info)
    }
    this.loaded = true
    this.missing.clear()
  }

  /** The type's name for a result column (`int4`, `text[]`), or undefined when it is not known yet. */
  nameOf(oid: number): string | undefined {
    const name = this.known.get(oid)?.name ?? BUILTIN_NAMES.get(oid)
    if (name === undefined && this.loaded) this.missing.add(oid)
    return name
  }

  private textParser(oid: number): Parse {
    const scalar = SCALARS[oid]
    if (scalar) return safely(scalar)
    const info = this.known.get(oid)
    const element = BUILTIN_ARRAYS[oid] ?? info?.element
    if (element === undefined || (info?.delimiter ?? ',') !== ',') return String
    const parseElement = SCALARS[element] ?? String
    return safely((text) => parseArray(text, parseElement))
  }
}

/**
 * An array's text form, `{1,2,NULL,"a \"b\""}`, nested for each further dimension, as arrays of
 * parsed elements; an unquoted NULL is SQL NULL, a quoted "NULL" the text.
 */
export function parseArray(text: string, element: Parse): unknown[] {
  // `[0:1]={…}`: an array whose bounds do not start at 1 says so first.
  let i = text.startsWith('[') ? text.indexOf('=') + 1 : 0
  const level = (): unknown[] => {
    if (text[i] !== '{') throw new Error(`not an array: ${text.slice(0, 40)}`)
    i++
    const items: unknown[] = []
    if (text[i] === '}') {
      i++
      return items
    }
    for (;;) {
      if (i >= text.length) throw new Error('unterminated array')
      if (text[i] === '{') items.push(level())
      else if (text[i] === '"') {
        let value = ''
        for (i++; i < text.length && text[i] !== '"'; i++) {
          if (text[i] === '\\') i++
          value += text[i] ?? ''
        }
        i++
        items.push(element(value))
      } else {
        let end = i
        while (end < text.length && text[end] !== ',' && text[end] !== '}') end++
        const raw = text.slice(i, end)
        i = end
        items.push(raw === 'NULL' ? null : element(raw))
      }
      if (text[i] === ',') i++
      else if (text[i] === '}') {
        i++
        return items
      } else throw new Error('malformed array')
    }
  }
  return level()
}

/** A parser runs inside the driver's socket handler, where a throw would break the connection: text instead. */
function safely(parse: Parse): Parse {
  return (text) => {
    try {
      return parse(text)
    } catch {
      return text
    }
  }
}
