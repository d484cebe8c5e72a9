import { MASK } from '../../core/redact'

/** A password shorter than this is not masked: "a" or "12" would mask every other word of a message. */
const MIN_LENGTH = 3

/**
 * Every string in a backend's answer (attempt messages, error payloads with their hints and details)
 * with this attempt's password replaced by the project's mask. A custom engine may quote the password in
 * an error ("could not check the password hunter2 of ada"); this is what keeps it out of the answer and
 * the audit log. The password's JSON-escaped spelling is masked too, for a message that quotes it as JSON.
 */
export function maskPassword<T>(value: T, password: string): T {
  if (password.length < MIN_LENGTH) return value
  const spellings = [...new Set([password, JSON.stringify(password).slice(1, -1)])]
  const mask = (text: string) => spellings.reduce((out, spelling) => (out.includes(spelling) ? out.split(spelling).join(MASK) : out), text)
  return walk(value, mask, 0) as T
}

const MAX_DEPTH = 32

function walk(value: unknown, mask: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return mask(value)
  if (typeof value !== 'object' || value === null) return value
  if (depth >= MAX_DEPTH) return '«nested too deep to show»'
  if (Array.isArray(value)) return value.map((item) => walk(item, mask, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, mask(key), { value: walk(item, mask, depth + 1), enumerable: true, writable: true, configurable: true })
  }
  return out
}
