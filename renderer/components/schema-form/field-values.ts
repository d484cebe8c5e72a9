import type { FieldSpec } from './json-schema'

/**
 * What the form holds per field: the option's value, except JSON fields (their text, so a half-typed
 * value survives) and secrets (never here: see SecretDraft). undefined means "not set", so the
 * engine's default applies; null is the explicit "empty" of a nullable option.
 */
export type FieldValues = Record<string, unknown>

/** New secret values typed in the form; null clears one; an absent key keeps what is stored. */
export type SecretDraft = Record<string, string | null>

export function initialValues(fields: readonly FieldSpec[], options: Record<string, unknown>): FieldValues {
  const values: FieldValues = {}
  for (const field of fields) {
    if (field.control === 'secret') continue
    const source = field.name in options ? options[field.name] : field.default
    values[field.name] = field.control === 'json' ? (source === undefined ? '' : JSON.stringify(source, null, 2)) : source
  }
  return values
}

/** Options the alias has that the engine does not declare (hand-edited, or left from another engine). */
export function unknownOptions(fields: readonly FieldSpec[], options: Record<string, unknown>): Record<string, unknown> {
  const known = new Set(fields.map((field) => field.name))
  return Object.fromEntries(Object.entries(options).filter(([key]) => !known.has(key)))
}

/**
 * The options to send. A value equal to the engine's default is left out unless the alias already
 * had it, so settings.json keeps only what someone chose (as Django settings name only what differs).
 */
export function buildOptions(fields: readonly FieldSpec[], values: FieldValues, original: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const options: Record<string, unknown> = { ...extra }
  for (const field of fields) {
    if (field.control === 'secret') continue
    let value = values[field.name]
    if (field.control === 'json' && typeof value === 'string') value = value.trim() === '' ? undefined : JSON.parse(value)
    if (value === undefined) continue
    if (!(field.name in original) && field.hasDefault && sameJson(value, field.default)) continue
    options[field.name] = value
  }
  return options
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
