import type { FieldPacket, TypeCast } from 'mysql2'
import { jsonCell } from '../cells'
import type { Column } from '../types'

/**
 * Values as the cells want them (cells.ts), on top of the pool's settings: BIGINT arrives as a string
 * (bigNumberStrings) and becomes a bigint, which the cell keeps as a number within ±2^53 and as exact
 * text beyond; DECIMAL stays a string; dates and times stay the server's text (dateStrings).
 * - JSON: MySQL's JSON type, or MariaDB's (a LONGTEXT alias whose JSON-ness only the extended column
 *   metadata of MariaDB 10.5+ tells; mysql2 reads it as `extendedFormat`). It is parsed here from its text,
 *   so that a JSON `null` is `{ $json: null }`, never SQL NULL. A MariaDB LONGTEXT column with a JSON
 *   CHECK but declared as LONGTEXT (not JSON) is plain text to the protocol, and so to Backplane.
 * - BIT(n): the number it holds (as `bitcol + 0` shows it), not its bytes.
 * - GEOMETRY: the server's bytes (WKB with an SRID), rather than mysql2's lossy points.
 * Binary strings and BLOBs are Buffers already (binary character set).
 */
export const typeCast: TypeCast = (field, next) => {
  if (field.type === 'JSON' || field.extendedFormat === 'json') {
    const text = field.string('utf8')
    if (text === null) return null
    try {
      return jsonCell(JSON.parse(text))
    } catch {
      return text
    }
  }
  if (field.type === 'LONGLONG') {
    const value = next()
    return typeof value === 'string' ? BigInt(value) : value
  }
  if (field.type === 'BIT') {
    const bytes = field.buffer()
    if (bytes === null) return null
    let n = 0n
    for (const byte of bytes) n = (n << 8n) | BigInt(byte)
    return n
  }
  if (field.type === 'GEOMETRY') return field.buffer()
  return next()
}

/** mysql2's column type codes (MYSQL_TYPE_*) as the names of the types a column is declared with. */
const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'DECIMAL',
  1: 'TINYINT',
  2: 'SMALLINT',
  3: 'INT',
  4: 'FLOAT',
  5: 'DOUBLE',
  6: 'NULL',
  7: 'TIMESTAMP',
  8: 'BIGINT',
  9: 'MEDIUMINT',
  10: 'DATE',
  11: 'TIME',
  12: 'DATETIME',
  13: 'YEAR',
  14: 'DATE',
  15: 'VARCHAR',
  16: 'BIT',
  17: 'TIMESTAMP',
  18: 'DATETIME',
  19: 'TIME',
  242: 'VECTOR',
  245: 'JSON',
  246: 'DECIMAL',
  247: 'ENUM',
  248: 'SET',
  249: 'TINYBLOB',
  250: 'MEDIUMBLOB',
  251: 'LONGBLOB',
  252: 'BLOB',
  253: 'VARCHAR',
  254: 'CHAR',
  255: 'GEOMETRY',
}
const NUMERIC = new Set([0, 1, 2, 3, 4, 5, 8, 9, 246])
const BINARY_CHARSET = 63
const UNSIGNED_FLAG = 32
const ENUM_FLAG = 256
const SET_FLAG = 2048

/** A result column's name and type: `BIGINT UNSIGNED`, `VARBINARY`, `TEXT`, `JSON`, MariaDB's `UUID`. */
export function columnOf(field: FieldPacket): Column {
  return { name: field.name, type: typeNameOf(field) }
}

function typeNameOf(field: FieldPacket): string {
  if (field.extendedFormat === 'json') return 'JSON'
  if (field.extendedTypeName) return field.extendedTypeName.toUpperCase()
  const code = field.columnType ?? field.type ?? -1
  const flags = typeof field.flags === 'number' ? field.flags : 0
  const binary = field.characterSet === BINARY_CHARSET
  let name = TYPE_NAMES[code] ?? `TYPE ${code}`
  if (code === 254) name = flags & ENUM_FLAG ? 'ENUM' : flags & SET_FLAG ? 'SET' : binary ? 'BINARY' : 'CHAR'
  else if (code === 253 || code === 15) name = binary ? 'VARBINARY' : 'VARCHAR'
  else if (code >= 249 && code <= 252 && !binary) name = name.replace('BLOB', 'TEXT')
  if (NUMERIC.has(code) && flags & UNSIGNED_FLAG) name += ' UNSIGNED'
  return name
}
