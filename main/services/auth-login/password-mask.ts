import { MASK, MIN_SECRET_LENGTH, mapStringsDeep } from '../../core/redact'

/**
 * Every string in a backend's answer (attempt messages, error payloads with their hints and details)
 * with this attempt's password replaced by the project's mask. A custom engine may quote the password in
 * an error ("could not check the password hunter2 of ada"); this is what keeps it out of the answer and
 * the audit log. The password's JSON-escaped spelling is masked too, for a message that quotes it as JSON.
 */
export function maskPassword<T>(value: T, password: string): T {
  if (password.length < MIN_SECRET_LENGTH) return value
  const spellings = [...new Set([password, JSON.stringify(password).slice(1, -1)])]
  const mask = (text: string) => spellings.reduce((out, spelling) => (out.includes(spelling) ? out.split(spelling).join(MASK) : out), text)
  return mapStringsDeep(value, mask, 32)
}
