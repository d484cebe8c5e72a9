import type { FieldSpec } from './json-schema'
import type { SecretDraft } from './field-values'

/**
 * The checks the schema states, run as the user types so most mistakes never reach the server.
 * The server validates again with the engine's zod schema and its issues land on the same fields.
 */
export function validateField(field: FieldSpec, value: unknown): string | undefined {
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
    case 'number':
      return validateNumber(field, value)
    case 'enum':
      return field.options?.some((option) => option === value) ? undefined : 'Pick one of the listed values.'
    case 'tags': {
      if (!Array.isArray(value)) return 'Enter a list.'
      if (schema.minItems !== undefined && value.length < schema.minItems) return `At least ${schema.minItems} ${schema.minItems === 1 ? 'entry' : 'entries'}.`
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return `At most ${schema.maxItems} entries.`
      return undefined
    }
    case 'json':
      return validateJson(field, value)
    default:
      return undefined
  }
}

function validateNumber(field: FieldSpec, value: unknown): string | undefined {
  const { schema } = field
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'Enter a number.'
  if (field.integer && !Number.isInteger(value)) return 'Enter a whole number.'
  if (schema.minimum !== undefined && value < schema.minimum) return `Must be at least ${schema.minimum}.`
  if (schema.maximum !== undefined && value > schema.maximum) return `Must be at most ${schema.maximum}.`
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `Must be more than ${schema.exclusiveMinimum}.`
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return `Must be less than ${schema.exclusiveMaximum}.`
  return undefined
}

function validateJson(field: FieldSpec, text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`
  }
  const type = field.schema.type
  if (type === 'array' && !Array.isArray(parsed)) return 'Must be a JSON array ([…]).'
  if (type === 'object' && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) return 'Must be a JSON object ({…}).'
  return undefined
}

export function validateSecret(field: FieldSpec, isSet: boolean, draft: SecretDraft): string | undefined {
  const typed = draft[field.name]
  if (typed === undefined) return field.required && !isSet ? 'Required: type a value.' : undefined
  if (typed === null || typed === '') return field.required ? 'Required: this secret cannot be cleared.' : undefined
  return validateField({ ...field, control: 'text' }, typed)
}

export function validateAll(fields: readonly FieldSpec[], values: Record<string, unknown>, secretsSet: Record<string, boolean>, draft: SecretDraft): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const field of fields) {
    const error = field.control === 'secret' ? validateSecret(field, secretsSet[field.name] ?? false, draft) : validateField(field, values[field.name])
    if (error) errors[field.name] = error
  }
  return errors
}
