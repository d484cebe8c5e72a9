/**
 * The cells of data.query and data.page as the server sends them (main/backends/data/cells.ts): JSON
 * scalars, big integers and decimals as strings, SQL NULL as null and only null, and three tagged forms
 * for bytes, JSON values and text cut short. Everything here reads them; nothing builds SQL.
 */

export interface BytesCell {
  $bytes: string
  size: number
  truncated?: true
}
export interface JsonValueCell {
  $json: unknown
}
export interface CutTextCell {
  $text: string
  size: number
  truncated: true
}

/** Bytes a grid cell draws as hex (sixteen: a UUID or a hash prefix); the inspector shows them all. */
export const BYTES_SHOWN = 16

export type CellKind = 'null' | 'number' | 'boolean' | 'string' | 'bytes' | 'json' | 'text' | 'array' | 'other'

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

export const isBytesCell = (value: unknown): value is BytesCell => isObject(value) && typeof value.$bytes === 'string'
export const isJsonCell = (value: unknown): value is JsonValueCell => isObject(value) && Object.hasOwn(value, '$json')
export const isCutTextCell = (value: unknown): value is CutTextCell => isObject(value) && typeof value.$text === 'string'

export function cellKind(value: unknown): CellKind {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') return 'number'
  if (typeof value === 'boolean') return 'boolean'
  if (typeof value === 'string') return 'string'
  if (Array.isArray(value)) return 'array'
  if (isBytesCell(value)) return 'bytes'
  if (isJsonCell(value)) return 'json'
  if (isCutTextCell(value)) return 'text'
  return 'other'
}

const NUMERIC_WORDS = new Set(['tinyint', 'smallint', 'mediumint', 'bigint', 'int', 'int2', 'int4', 'int8', 'integer', 'serial', 'serial4', 'serial8', 'bigserial', 'smallserial', 'numeric', 'decimal', 'dec', 'real', 'float', 'float4', 'float8', 'double', 'number', 'money'])

/** Numeric SQL types, whose values (numbers, or strings for big integers and decimals) read right-aligned. */
export function isNumericType(type: string | undefined): boolean {
  return type !== undefined && type.toLowerCase().split(/[^a-z0-9]+/).some((word) => NUMERIC_WORDS.has(word))
}

export const isJsonType = (type: string | undefined): boolean => type !== undefined && /json/i.test(type)
export const isBooleanType = (type: string | undefined): boolean => type !== undefined && /^(?:bool|boolean)$/i.test(type.trim())

/** Whether the value reads right-aligned: a number, or a big integer / decimal string of a numeric column. */
export function isNumericCell(value: unknown, type?: string): boolean {
  return typeof value === 'number' || (typeof value === 'string' && isNumericType(type) && /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(value))
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function bytesToHex(bytes: Uint8Array, limit = bytes.length): string {
  let out = ''
  for (let i = 0; i < Math.min(limit, bytes.length); i += 1) out += bytes[i]!.toString(16).padStart(2, '0')
  return out
}

/** `xxd`'s layout: offset, sixteen bytes in pairs, and their printable ASCII. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = []
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const chunk = bytes.subarray(offset, offset + 16)
    let hex = ''
    let ascii = ''
    for (let i = 0; i < 16; i += 1) {
      const byte = chunk[i]
      hex += byte === undefined ? '  ' : byte.toString(16).padStart(2, '0')
      if (i % 2 === 1) hex += ' '
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.'
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}: ${hex} ${ascii}`)
  }
  return lines.join('\n')
}

/**
 * The cell as one line of text for reading: a tooltip, a width, one copied cell. NULL reads `NULL`
 * here; the grid draws it as a badge so that it is never mistaken for the text 'NULL'.
 */
export function formatCell(value: unknown): string {
  switch (cellKind(value)) {
    case 'null':
      return 'NULL'
    case 'string':
      return value as string
    case 'number':
    case 'boolean':
      return String(value)
    case 'bytes':
      return `\\x${bytesToHex(base64ToBytes((value as BytesCell).$bytes))}`
    case 'json':
      return JSON.stringify((value as JsonValueCell).$json) ?? 'null'
    case 'text':
      return (value as CutTextCell).$text
    case 'array':
      return JSON.stringify((value as unknown[]).map(plainCell))
    default:
      return JSON.stringify(value)
  }
}

/** The cell as a plain JSON value (copy as JSON): JSON unwrapped, bytes as `\x…` hex, cut text as its shown part. */
export function plainCell(value: unknown): unknown {
  switch (cellKind(value)) {
    case 'bytes':
      return formatCell(value)
    case 'json':
      return (value as JsonValueCell).$json
    case 'text':
      return (value as CutTextCell).$text
    case 'array':
      return (value as unknown[]).map(plainCell)
    default:
      return value ?? null
  }
}

/** Whether the value is worth opening in the inspector: JSON (also as text), bytes, cut or long or multi-line text, arrays. */
export function isExpandable(value: unknown): boolean {
  const kind = cellKind(value)
  if (kind === 'string') return (value as string).length > 80 || (value as string).includes('\n') || /^\s*[[{]/.test(value as string)
  return kind === 'bytes' || kind === 'json' || kind === 'text' || kind === 'array' || kind === 'other'
}

/** The size in bytes of a bytes cell or the full length of cut text, else undefined. */
export function fullSize(value: unknown): number | undefined {
  if (isBytesCell(value) || isCutTextCell(value)) return value.size
  return undefined
}

/** Whether the server sent only the first part of the value (bytes past 64 KiB, text past 256 Ki characters). */
export const isCut = (value: unknown): boolean => (isBytesCell(value) && value.truncated === true) || isCutTextCell(value)
