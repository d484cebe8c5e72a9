import { ErrorCode, type SettingsIssue } from '../../../main/api/contract'
import { ApiError } from '../../api/api-error'

/** Where the editor shows a problem: on a field of the form (name, engine, an option), or above it. */
export interface PlacedErrors {
  fields: Record<string, string>
  /** Set when the error has nothing to attach to a field; shown as a whole. */
  general: ApiError | null
}

const ENGINE_CODES = new Set<string>([ErrorCode.E_ENGINE_UNTRUSTED, ErrorCode.E_UNKNOWN_ENGINE, ErrorCode.E_ENGINE_LOAD, ErrorCode.E_ENGINE_INTERFACE])

/**
 * Maps a failed save onto the form. E_INVALID_OPTIONS paths start inside the options
 * (`["maxEntries"]`); E_INVALID_INPUT paths start at the draft's own fields (`["name"]`,
 * `["options", "maxEntries"]`, `["secrets", "password"]`).
 */
export function placeServerError(error: unknown, optionNames: ReadonlySet<string>): PlacedErrors {
  const apiError = ApiError.from(error)
  const fields: Record<string, string> = {}
  if (ENGINE_CODES.has(apiError.code)) {
    fields.engine = apiError.hint ? `${apiError.message} ${apiError.hint}` : apiError.message
    return { fields, general: null }
  }
  if (apiError.code !== ErrorCode.E_INVALID_OPTIONS && apiError.code !== ErrorCode.E_INVALID_INPUT) return { fields, general: apiError }
  let unplaced = 0
  for (const issue of apiError.issues) {
    let path = issue.path
    if (apiError.code === ErrorCode.E_INVALID_INPUT) {
      const [head, ...rest] = path
      if (head === 'name' || head === 'previousName' || head === 'engine') {
        fields[head === 'engine' ? 'engine' : 'name'] ??= issue.message
        continue
      }
      if (head !== 'options' && head !== 'secrets') {
        unplaced += 1
        continue
      }
      path = rest
    }
    const [field, ...inner] = path
    if (field !== undefined && optionNames.has(field)) {
      fields[field] ??= inner.length > 0 ? `${inner.join('.')}: ${issue.message}` : issue.message
    } else {
      unplaced += 1
    }
  }
  return { fields, general: unplaced > 0 || apiError.issues.length === 0 ? apiError : null }
}

const unescapePointer = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~')

/**
 * Problems found when settings.json was loaded, placed on the editor's fields by their JSON pointer
 * (`/caches/sessions/options/maxEntries` → maxEntries), so an invalid alias opens with its bad fields
 * already marked.
 */
export function placeStoredIssues(issues: readonly SettingsIssue[], optionNames: ReadonlySet<string>): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of issues) {
    const [, , where, field, ...inner] = issue.pointer.split('/').slice(1).map(unescapePointer)
    if (where === 'engine') fields.engine ??= issue.message
    else if (where === 'options' && field !== undefined && optionNames.has(field)) fields[field] ??= inner.length > 0 ? `${inner.join('.')}: ${issue.message}` : issue.message
  }
  return fields
}
