import type { AuditEntry } from './audit-store'

export const AUDIT_EXPORT_MAX = 100_000

const COLUMNS = ['id', 'time', 'username', 'source', 'alias', 'outcome', 'reason', 'ms'] as const satisfies readonly (keyof AuditEntry)[]

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, and tab or CR, which some also take) gets a
 * leading apostrophe (OWASP's CSV injection advice): usernames in the audit log are whatever someone typed.
 */
function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string | number | null): string {
  if (value === null) return ''
  const text = typeof value === 'number' ? String(value) : neutralise(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const AUDIT_CSV_HEADER = `${COLUMNS.join(',')}\r\n`

/** CSV rows, each ended by CRLF (RFC 4180); the header is AUDIT_CSV_HEADER. */
export function auditCsvRows(entries: readonly AuditEntry[]): string {
  return entries.map((e) => `${COLUMNS.map((c) => csvField(e[c])).join(',')}\r\n`).join('')
}

export function auditJsonLines(entries: readonly AuditEntry[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('')
}

/** The file the GUI offers to save: "auth-audit-2026-12-01T20-35-00Z.csv". */
export function auditFileName(format: 'csv' | 'jsonl', now = new Date()): string {
  return `auth-audit-${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z.${format}`
}
