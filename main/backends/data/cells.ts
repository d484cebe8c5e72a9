/**
 * Cells travel as JSON that loses nothing a user can see:
 * - integers within ±2^53 as numbers, beyond as decimal strings; decimals (NUMERIC) as strings from the driver;
 * - bytes as `{ $bytes: base64, size }` (cut to `BYTES_SHOWN` in grid results, with `truncated`);
 * - JSON values as `{ $json: value }`, so a JSON `null` or string is not confused with SQL NULL or text;
 * - arrays as arrays of cells; timestamps as ISO text with their zone (the engines keep the server's text
 *   for types without one); everything else as the driver's string.
 * SQL NULL is JSON null, and only that.
 */

export const BYTES_SHOWN = 64 * 1024
export const TEXT_SHOWN = 256 * 1024
/** Deeper JSON would overflow the stack of JSON.stringify on its way out (about 5,000 levels in Node 20). */
const MAX_JSON_DEPTH = 1000

export interface CellLimits {
  /** Cut long text and bytes (grid results); exports pass `false` and get everything. */
  cut: boolean
}

export type JsonCell = null | boolean | number | string | JsonCell[] | { $bytes: string; size: number; truncated?: true } | { $json: unknown } | { $text: string; size: number; truncated: true }

export function toJsonCell(value: unknown, limits: CellLimits = { cut: true }): JsonCell {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString()
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    // A copy, not a slice: V8's slice of a 50 MB string keeps all 50 MB alive.
    if (limits.cut && value.length > TEXT_SHOWN) return { $text: Buffer.from(value.slice(0, TEXT_SHOWN), 'utf16le').toString('utf16le'), size: value.length, truncated: true }
    return value
  }
  if (value instanceof Uint8Array) {
    const size = value.byteLength
    const shown = limits.cut && size > BYTES_SHOWN ? value.subarray(0, BYTES_SHOWN) : value
    return { $bytes: Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('base64'), size, ...(shown !== value ? { truncated: true as const } : {}) }
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString()
  if (Array.isArray(value)) return value.map((v) => toJsonCell(v, limits))
  if (isJsonMarked(value)) return jsonDepth(value.$json) > MAX_JSON_DEPTH ? { $text: `(a JSON value nested deeper than ${MAX_JSON_DEPTH} levels, not shown)`, size: 0, truncated: true } : value
  return String(value)
}

/** A driver's parsed JSON column value, marked by the engine so that toJsonCell keeps it as JSON. */
export function jsonCell(value: unknown): { $json: unknown } {
  return { $json: value }
}

function isJsonMarked(value: unknown): value is { $json: unknown } {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && Object.hasOwn(value, '$json')
}

/**
 * A parameter from the API: `{ $bytes: base64 }` becomes bytes and `{ $json: value }` JSON text; other
 * objects are refused by the contract before they get here.
 */
export function fromJsonParam(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || value instanceof Date) return value
  if (Array.isArray(value)) return value.map(fromJsonParam)
  const v = value as Record<string, unknown>
  if (typeof v.$bytes === 'string') return Buffer.from(v.$bytes, 'base64')
  if (Object.hasOwn(v, '$json')) return JSON.stringify(v.$json)
  if (typeof v.$text === 'string') return v.$text
  return JSON.stringify(value)
}

/** How deep a JSON value nests, counted without recursion and giving up past the limit. */
function jsonDepth(value: unknown): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!
    if (typeof item !== 'object' || item === null) continue
    deepest = Math.max(deepest, depth)
    if (deepest > MAX_JSON_DEPTH) return deepest
    for (const child of Array.isArray(item) ? item : Object.values(item)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
  return deepest
}
