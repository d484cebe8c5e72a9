import { fitsField, storedMarker, type FieldState, type ObjectState } from './field-state'
import type { FieldSpec } from './json-schema'
import { parseNumberText } from './number-text'
import { joinPath, matchesPattern } from './option-paths'
import { describeExpected } from './stored-types'

/**
 * The checks the schema states, run as the user types so most mistakes never reach the server, and
 * whatever the form cannot send as typed (a half number, JSON that does not parse). The server
 * validates again with the engine's zod schema and its issues land on the same fields. Errors are
 * keyed by the field's path (`servers/1/port`).
 */
export function validateForm(fields: readonly FieldSpec[], root: ObjectState, secretPatterns: readonly string[] = []): Record<string, string> {
  const errors: Record<string, string> = {}
  validateChildren(fields, root, [], errors, secretPatterns)
  return errors
}

function validateChildren(fields: readonly FieldSpec[], state: ObjectState, path: string[], errors: Record<string, string>, patterns: readonly string[]): void {
  for (const field of fields) {
    const child = state.fields[field.name]
    if (child) validateState(field, child, [...path, field.name], errors, patterns)
  }
}

export function validateState(field: FieldSpec, state: FieldState, path: string[], errors: Record<string, string>, patterns: readonly string[] = []): void {
  const error = checkState(field, state, path, patterns)
  if (error) errors[joinPath(path)] = error
  if (state.kind === 'object' && isActive(field, state)) validateChildren(field.fields ?? [], state, path, errors, patterns)
  if (state.kind === 'list' && field.item) {
    const item = field.item
    state.items.forEach((entry, index) => validateState(item, entry.state, [...path, String(index)], errors, patterns))
  }
}

function checkState(field: FieldSpec, state: FieldState, path: string[], patterns: readonly string[]): string | undefined {
  const missing = field.required && !field.hasDefault ? 'Required.' : undefined
  switch (state.kind) {
    case 'null':
      return field.nullable ? undefined : 'Required.'
    case 'value':
      return validateValue(field, state.value)
    case 'number':
      return state.text.trim() === '' ? missing : validateNumber(field, state.text)
    case 'url':
      return state.text === '' ? missing : validateValue({ ...field, control: 'text' }, state.text)
    case 'json':
      return state.text.trim() === '' ? missing : validateJson(field, state.text, path, patterns)
    case 'mismatch': {
      if (state.text === JSON.stringify(state.original, null, 2)) return undefined
      if (state.text.trim() === '') return missing
      const parsed = parseJson(state.text)
      if ('error' in parsed) return parsed.error
      if (!fitsField(field, parsed.value)) return `Must be ${describeExpected(field)}.`
      return typedSecret(parsed.value, path, patterns)
    }
    case 'secret':
      return validateSecret(field, state)
    case 'object':
      return undefined
    case 'list': {
      if (!state.present && state.items.length === 0) return missing
      const { minItems, maxItems } = field.schema
      if (minItems !== undefined && state.items.length < minItems) return `At least ${minItems} ${minItems === 1 ? 'entry' : 'entries'}.`
      if (maxItems !== undefined && state.items.length > maxItems) return `At most ${maxItems} entries.`
      return undefined
    }
  }
}

/** The checks of a plain value (text, enum, tags, boolean). */
export function validateValue(field: FieldSpec, value: unknown): string | undefined {
  const { schema } = field
  if (value === undefined || value === '') return field.required && !field.hasDefault ? 'Required.' : undefined
  if (value === null) return field.nullable ? undefined : 'Required.'
  switch (field.control) {
    case 'text': {
      if (typeof value !== 'string') return 'Enter text.'
      if (schema.minLength !== undefined && value.length < schema.minLength) return schema.minLength === 1 ? 'Must not be empty.' : `At least ${schema.minLength} characters.`
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return `At most ${schema.maxLength} characters.`
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return `Does not match ${schema.pattern}.`
      return undefined
    }
    case 'enum':
      return field.options?.some((option) => option === value) ? undefined : 'Pick one of the listed values.'
    case 'tags': {
      if (!Array.isArray(value)) return 'Enter a list.'
      if (schema.minItems !== undefined && value.length < schema.minItems) return `At least ${schema.minItems} ${schema.minItems === 1 ? 'entry' : 'entries'}.`
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return `At most ${schema.maxItems} entries.`
      return undefined
    }
    default:
      return undefined
  }
}

export function validateNumber(field: FieldSpec, text: string): string | undefined {
  const parsed = parseNumberText(text, field.integer)
  if ('error' in parsed) return parsed.error
  const { value } = parsed
  const { schema } = field
  if (schema.minimum !== undefined && value < schema.minimum) return `Must be at least ${schema.minimum}.`
  if (schema.maximum !== undefined && value > schema.maximum) return `Must be at most ${schema.maximum}.`
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `Must be more than ${schema.exclusiveMinimum}.`
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return `Must be less than ${schema.exclusiveMaximum}.`
  return undefined
}

function validateJson(field: FieldSpec, text: string, path: string[], patterns: readonly string[]): string | undefined {
  const parsed = parseJson(text)
  if ('error' in parsed) return parsed.error
  const type = field.schema.type
  if (type === 'array' && !Array.isArray(parsed.value)) return 'Must be a JSON array ([…]).'
  if (type === 'object' && (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))) return 'Must be a JSON object ({…}).'
  return typedSecret(parsed.value, path, patterns)
}

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` }
  }
}

/**
 * JSON text may hold a stored secret's marker (moving it moves the secret), never a secret's value:
 * the draft's options are not where secrets go, and the text would show it.
 */
function typedSecret(value: unknown, path: string[], patterns: readonly string[]): string | undefined {
  if (patterns.length === 0 || storedMarker(value)) return undefined
  if (typeof value === 'string') return matchesPattern(path, patterns) ? `"${joinPath(path)}" is a secret: it cannot be typed here, only a stored secret's {"$stored": …} marker may stand there.` : undefined
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = typedSecret(item, [...path, String(index)], patterns)
      if (found) return found
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = typedSecret(item, [...path, key], patterns)
      if (found) return found
    }
  }
  return undefined
}

function validateSecret(field: FieldSpec, state: Extract<FieldState, { kind: 'secret' }>): string | undefined {
  const typed = state.draft
  if (typed === undefined) return field.required && state.stored === undefined ? 'Required: type a value.' : undefined
  if (typed === null || typed === '') return field.required ? 'Required: this secret cannot be cleared.' : undefined
  return validateValue({ ...field, control: 'text' }, typed)
}

/**
 * Whether an object is sent: a required one always, an optional one once it was stored or something
 * in it is filled in. The fields of one that is not are not checked (an optional TLS group left
 * empty does not need its certificate).
 */
export function isActive(field: FieldSpec, state: Extract<FieldState, { kind: 'object' }>): boolean {
  return field.required || state.present || (field.fields ?? []).some((child) => {
    const childState = state.fields[child.name]
    return childState !== undefined && hasContent(child, childState)
  })
}

function hasContent(field: FieldSpec, state: FieldState): boolean {
  const isDefault = (value: unknown) => !state.present && field.hasDefault && JSON.stringify(value) === JSON.stringify(field.default)
  switch (state.kind) {
    case 'null':
      return !isDefault(null)
    case 'value':
      return state.value !== undefined && !isDefault(state.value)
    case 'number': {
      if (state.text.trim() === '') return false
      const parsed = parseNumberText(state.text, field.integer)
      // Text that is not a number is content: it must be fixed, not silently left out.
      return !('value' in parsed) || !isDefault(parsed.value)
    }
    case 'json':
      return state.text.trim() !== '' && !(!state.present && field.hasDefault && state.text === JSON.stringify(field.default, null, 2))
    case 'url':
    case 'mismatch':
      return true
    case 'secret':
      return state.stored !== undefined || (typeof state.draft === 'string' && state.draft !== '')
    case 'object':
      return isActive({ ...field, required: false }, state)
    case 'list':
      return state.present || state.items.length > 0
  }
}
