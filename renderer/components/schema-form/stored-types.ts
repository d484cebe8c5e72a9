import type { FieldSpec } from './json-schema'

/** What a stored value is, in the user's words. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  switch (typeof value) {
    case 'string':
      return 'text'
    case 'number':
      return `the number ${value}`
    case 'boolean':
      return String(value)
    case 'object':
      return '$stored' in value ? 'a stored secret' : 'an object'
    default:
      return typeof value
  }
}

/** What a field takes, in the same words. */
export function describeExpected(field: FieldSpec): string {
  switch (field.control) {
    case 'text':
      return 'text'
    case 'secret':
      return 'a secret'
    case 'number':
      return field.integer ? 'a whole number' : 'a number'
    case 'boolean':
      return 'true or false'
    case 'enum':
      return `one of ${(field.options ?? []).map((option) => JSON.stringify(option)).join(', ')}`
    case 'tags':
      return 'a list of text'
    case 'object':
      return 'an object'
    case 'list':
      return 'a list'
    default:
      return 'JSON'
  }
}

export function describeMismatch(field: FieldSpec, value: unknown): string {
  return `Stored as ${describeValue(value)}, but this option takes ${describeExpected(field)}. It is kept as it is unless you change it.`
}
