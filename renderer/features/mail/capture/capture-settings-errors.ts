import { ApiError } from '../../../api/api-error'
import { ErrorCode } from '../../../../main/api/contract'

/** Where a failed save shows: on its field (`smtp.port`, `retention.maxMessages`, `smtp.users`), or above the form. */
export interface PlacedCaptureErrors {
  fields: Record<string, string>
  general: ApiError | null
}

const FIELDS = new Set([
  'smtp.enabled',
  'smtp.host',
  'smtp.port',
  'smtp.maxSizeMB',
  'smtp.auth',
  'smtp.users',
  'smtp.starttls',
  'smtp.requireTls',
  'mailboxes',
  'retention.maxMessages',
  'retention.maxAgeDays',
  'notify',
])

/**
 * Maps outbox.saveSettings' errors onto the form. E_INVALID_INPUT paths start at the method's input
 * (`["settings", "smtp", "port"]`, `["passwords", "ada"]`); E_INVALID_OPTIONS paths at the settings
 * (`["smtp", "users"]`). Anything about one capture user (its name, its password) lands on the
 * user list.
 */
export function placeCaptureSettingsError(error: unknown): PlacedCaptureErrors {
  const apiError = ApiError.from(error)
  if (apiError.code !== ErrorCode.E_INVALID_INPUT && apiError.code !== ErrorCode.E_INVALID_OPTIONS) return { fields: {}, general: apiError }
  const fields: Record<string, string> = {}
  let unplaced = 0
  for (const issue of apiError.issues) {
    let path = issue.path
    if (apiError.code === ErrorCode.E_INVALID_INPUT) {
      const [head, ...rest] = path
      if (head === 'passwords') path = ['smtp', 'users']
      else if (head === 'settings') path = rest
      else {
        unplaced += 1
        continue
      }
    }
    const field = path[0] === 'smtp' || path[0] === 'retention' ? `${path[0]}.${path[1] ?? ''}` : (path[0] ?? '')
    if (!FIELDS.has(field)) {
      unplaced += 1
      continue
    }
    fields[field] ??= issue.message
  }
  return { fields, general: unplaced > 0 || apiError.issues.length === 0 ? apiError : null }
}
