import { ErrorCode, type SettingsIssue } from '../../../main/api/contract'
import { ApiError } from '../../api/api-error'
import { joinPath, splitPath } from '../../components/schema-form/option-paths'

/** Where the editor shows a problem: on a field of the form (name, engine, an option), or above it. */
export interface PlacedErrors {
  fields: Record<string, string>
  /** Set when the error has nothing to attach to a field; shown as a whole. */
  general: ApiError | null
  /** A custom module not trusted (yet, or since it changed): shown with the command that trusts it. */
  untrusted: ApiError | null
}

const ENGINE_CODES = new Set<string>([ErrorCode.E_UNKNOWN_ENGINE, ErrorCode.E_ENGINE_LOAD, ErrorCode.E_ENGINE_INTERFACE])

/**
 * Puts a message on the field at `segments`, or on the nearest field above it that the form shows
 * (an issue inside a JSON field, say), prefixed with the rest of the path.
 */
function placeAt(fields: Record<string, string>, segments: readonly string[], message: string, fieldPaths: ReadonlySet<string>): boolean {
  for (let length = segments.length; length > 0; length--) {
    const key = joinPath(segments.slice(0, length))
    if (!fieldPaths.has(key)) continue
    const inner = segments.slice(length)
    fields[key] ??= inner.length > 0 ? `${inner.join('.')}: ${message}` : message
    return true
  }
  return false
}

/**
 * Maps a failed save onto the form. E_INVALID_OPTIONS paths start inside the options
 * (`["servers", "0", "port"]`); E_INVALID_INPUT paths start at the draft's own fields (`["name"]`,
 * `["options", "maxEntries"]`, `["secrets", "servers/0/password"]`, a secret's whole path in one segment).
 * `fieldPaths` are the paths of the fields the form shows.
 */
export function placeServerError(error: unknown, fieldPaths: ReadonlySet<string>): PlacedErrors {
  const apiError = ApiError.from(error)
  const fields: Record<string, string> = {}
  if (apiError.code === ErrorCode.E_ENGINE_UNTRUSTED) return { fields, general: null, untrusted: apiError }
  if (ENGINE_CODES.has(apiError.code)) {
    fields.engine = apiError.hint ? `${apiError.message} ${apiError.hint}` : apiError.message
    return { fields, general: null, untrusted: null }
  }
  if (apiError.code !== ErrorCode.E_INVALID_OPTIONS && apiError.code !== ErrorCode.E_INVALID_INPUT) return { fields, general: apiError, untrusted: null }
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
      path = head === 'secrets' && rest.length === 1 ? splitPath(rest[0] ?? '') : rest
    }
    if (!placeAt(fields, path, issue.message, fieldPaths)) unplaced += 1
  }
  return { fields, general: unplaced > 0 || apiError.issues.length === 0 ? apiError : null, untrusted: null }
}

const unescapePointer = (segment: string) => segment.replaceAll('~1', '/').replaceAll('~0', '~')

/**
 * Problems found when settings.json was loaded, placed on the editor's fields by their JSON pointer
 * (`/caches/sessions/options/servers/0/port` → servers/0/port), so an invalid alias opens with its bad
 * fields already marked.
 */
export function placeStoredIssues(issues: readonly SettingsIssue[], fieldPaths: ReadonlySet<string>): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of issues) {
    const [, , where, ...inside] = issue.pointer.split('/').slice(1).map(unescapePointer)
    if (where === 'engine') fields.engine ??= issue.message
    else if (where === 'options') placeAt(fields, inside, issue.message, fieldPaths)
  }
  return fields
}
