import { BackplaneError, ErrorCode } from '../../core/errors'

/** Bytes start to end, both included (HTTP's way), of a file of known size. */
export interface ResolvedRange {
  start: number
  end: number
}

export type RangeAnswer = { kind: 'whole'; reason?: string } | { kind: 'part'; range: ResolvedRange } | { kind: 'unsatisfiable' }

const DIGITS = /^\d{1,15}$/

/**
 * RFC 9110 §14: one `bytes=a-b`, `a-` or `-n` range. A header that is not a byte range at all is
 * ignored (the whole file, as the RFC says a server may); several ranges are served as the whole file
 * too, rather than as multipart/byteranges, which no client of ours asks for. A range that starts past
 * the end, or a suffix of zero bytes, cannot be satisfied (416).
 */
export function resolveRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' }
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header)
  if (!match) return { kind: 'whole', reason: 'not a byte range' }
  const specs = match[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (specs.length !== 1) return { kind: 'whole', reason: specs.length ? 'several ranges are served as the whole file' : 'no range' }
  const dash = specs[0]!.indexOf('-')
  if (dash === -1) return { kind: 'whole', reason: 'not a byte range' }
  const first = specs[0]!.slice(0, dash).trim()
  const last = specs[0]!.slice(dash + 1).trim()
  if (first === '') {
    // Longer than 15 digits is past any file we serve: a suffix that long is the whole file.
    if (!/^\d+$/.test(last)) return { kind: 'whole', reason: 'not a byte range' }
    const suffix = DIGITS.test(last) ? Number(last) : Number.MAX_SAFE_INTEGER
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'part', range: { start: Math.max(0, size - suffix), end: size - 1 } }
  }
  if (!/^\d+$/.test(first) || (last !== '' && !/^\d+$/.test(last))) return { kind: 'whole', reason: 'not a byte range' }
  const start = DIGITS.test(first) ? Number(first) : Number.MAX_SAFE_INTEGER
  if (start >= size) return { kind: 'unsatisfiable' }
  const end = last === '' || !DIGITS.test(last) ? size - 1 : Math.min(Number(last), size - 1)
  // "bytes=5-1" is invalid syntax, which the RFC says to ignore.
  if (end < start) return { kind: 'whole', reason: 'the range ends before it starts' }
  return { kind: 'part', range: { start, end } }
}

/**
 * RFC 9110 §13.1.5: a Range with If-Range is served only if the file is still the version the client
 * has: a strong ETag equal to ours, or a date equal to our Last-Modified. Otherwise the whole file, 200,
 * so a resumed download never splices the end of a new file onto the start of an old one.
 */
export function ifRangeHolds(ifRange: string | undefined, etag: string, lastModified: string | undefined): boolean {
  if (ifRange === undefined) return true
  const validator = ifRange.trim()
  if (validator.startsWith('"') || validator.startsWith('W/')) return !validator.startsWith('W/') && !etag.startsWith('W/') && validator === etag
  const date = Date.parse(validator)
  return lastModified !== undefined && !Number.isNaN(date) && date === Date.parse(lastModified)
}

export function unsatisfiable(size: number): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_INPUT, `The range asked for lies outside the file (${size} bytes).`, {
    status: 416,
    hint: 'Ask for bytes=0- or a range within the size the Content-Range header gives.',
    details: { size },
  })
}
