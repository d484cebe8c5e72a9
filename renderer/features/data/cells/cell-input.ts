import { cellKind, isBooleanType, isJsonType, isNumericCell, isNumericType, type BytesCell, type CutTextCell, type JsonValueCell } from './cell-value'

/**
 * Values sent back to the server (a key, an edit, a keyset's `after`): the contract takes JSON scalars,
 * `{ $bytes }` and `{ $json }` only, so the grid's cells are converted first.
 */
export function toCellInput(value: unknown): unknown {
  switch (cellKind(value)) {
    case 'bytes':
      return { $bytes: (value as BytesCell).$bytes }
    case 'json':
      return { $json: (value as JsonValueCell).$json }
    case 'text':
      return (value as CutTextCell).$text
    case 'array':
      return (value as unknown[]).map(toCellInput)
    default:
      return value ?? null
  }
}

/** How a value is typed in: the editor and the filter builder both read text this way. */
export type EditMode = 'text' | 'number' | 'boolean' | 'json' | 'bytes'

export function editModeOf(value: unknown, type: string | undefined): EditMode {
  const kind = cellKind(value)
  if (kind === 'bytes') return 'bytes'
  if (kind === 'json' || (kind === 'null' && isJsonType(type))) return 'json'
  if (kind === 'boolean' || (kind === 'null' && isBooleanType(type))) return 'boolean'
  // SQLite stores any text in an INTEGER column: only numbers (and the strings of big ones) edit as numbers.
  if (kind === 'number' || (isNumericType(type) && (kind === 'null' || isNumericCell(value, type)))) return 'number'
  return 'text'
}

/** The text the editor starts with. */
export function editTextOf(value: unknown): string {
  switch (cellKind(value)) {
    case 'null':
      return ''
    case 'json':
      return JSON.stringify((value as JsonValueCell).$json, null, 2) ?? ''
    case 'text':
      return (value as CutTextCell).$text
    case 'string':
      return value as string
    default:
      return String(value)
  }
}

export type ParsedEdit = { ok: true; value: unknown } | { ok: false; error: string }

const INTEGER = /^[-+]?\d+$/
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i

/**
 * Typed text as the value to send: a number for a number column (a big integer or exact decimal stays
 * text, as the server sent it, so nothing is rounded), true/false for booleans, `{ $json }` for JSON.
 */
export function parseTyped(text: string, mode: EditMode, type?: string): ParsedEdit {
  switch (mode) {
    case 'json':
      try {
        return { ok: true, value: { $json: JSON.parse(text) as unknown } }
      } catch (error) {
        return { ok: false, error: `Not valid JSON: ${(error as Error).message}` }
      }
    case 'number': {
      const trimmed = text.trim()
      if (!DECIMAL.test(trimmed)) return { ok: false, error: 'Type a number (or set NULL).' }
      if (INTEGER.test(trimmed)) return { ok: true, value: Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : trimmed.replace(/^\+/, '') }
      // NUMERIC/DECIMAL are exact: keep the digits as typed; floating types take a number.
      return { ok: true, value: /numeric|decimal|dec\b|money|number/i.test(type ?? '') ? trimmed : Number(trimmed) }
    }
    case 'boolean': {
      const word = text.trim().toLowerCase()
      if (['true', 't', '1', 'yes'].includes(word)) return { ok: true, value: true }
      if (['false', 'f', '0', 'no'].includes(word)) return { ok: true, value: false }
      return { ok: false, error: 'Type true or false (or set NULL).' }
    }
    case 'bytes':
      return { ok: false, error: 'Binary values are not edited here.' }
    default:
      return { ok: true, value: text }
  }
}

/** Whether two cell values are the same value (an edit back to the original is no edit). */
export function sameCell(a: unknown, b: unknown): boolean {
  return JSON.stringify(toCellInput(a)) === JSON.stringify(toCellInput(b))
}
