import type { AuditEntry } from './types'

export type Outcome = AuditEntry['outcome']

/** Each outcome in the login tester's words (AuthRefusal codes are for programs), and its colour. */
export const OUTCOMES: Record<Outcome, { label: string; color: string }> = {
  success: { label: 'success', color: 'teal' },
  skipped: { label: 'skipped', color: 'gray' },
  'unknown-user': { label: 'no such user', color: 'orange' },
  'bad-password': { label: 'wrong password', color: 'orange' },
  inactive: { label: 'inactive', color: 'yellow' },
  'unusable-password': { label: 'unusable password', color: 'yellow' },
  denied: { label: 'denied', color: 'red' },
  error: { label: 'error', color: 'red' },
  throttled: { label: 'throttled', color: 'grape' },
}

export const OUTCOME_CHOICES = (Object.keys(OUTCOMES) as Outcome[]).map((value) => ({ value, label: OUTCOMES[value].label }))
