import type { FieldState, ObjectState } from './field-state'
import type { FieldSpec } from './json-schema'
import { joinPath } from './option-paths'
import { parseNumberText } from './number-text'

/** What AliasDraft takes from the form: the options tree, and new secret values by path. */
export interface BuiltOptions {
  options: Record<string, unknown>
  /** A string sets the secret at that path, null clears it. Typed secrets never go into `options`. */
  secrets: Record<string, string | null>
}

/**
 * The options to send, from a form that passed validation. At a secret: the `{ $stored }` marker it
 * started with, at the item's current place (so the server moves the secret along with its item),
 * or nothing and the new value in `secrets`. A value equal to the engine's default is left out unless
 * the alias already had it, so settings.json keeps only what someone chose (as Django settings name
 * only what differs). `extra` stands for the root's undeclared options.
 */
export function buildOptions(fields: readonly FieldSpec[], root: ObjectState, extra: Record<string, unknown>): BuiltOptions {
  const secrets: Record<string, string | null> = {}
  const options = buildObject(fields, root, [], secrets, extra) ?? {}
  return { options, secrets }
}

function buildObject(fields: readonly FieldSpec[], state: ObjectState, path: string[], secrets: Record<string, string | null>, extra = state.extra): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(extra)) defineOwn(out, key, value)
  for (const field of fields) {
    const child = state.fields[field.name]
    if (!child) continue
    const value = buildValue(field, child, [...path, field.name], secrets)
    if (value === undefined) continue
    if (!child.present && field.hasDefault && sameJson(value, field.default)) continue
    defineOwn(out, field.name, value)
  }
  return out
}

/** One field's value; undefined leaves it out (not set, or a secret whose new value goes into `secrets`). */
export function buildValue(field: FieldSpec, state: FieldState, path: string[], secrets: Record<string, string | null>): unknown {
  switch (state.kind) {
    case 'null':
      return null
    case 'value':
      return state.value
    case 'number': {
      if (state.text.trim() === '') return undefined
      const parsed = parseNumberText(state.text, field.integer)
      return 'value' in parsed ? parsed.value : undefined
    }
    case 'url':
      if (state.text === '') return undefined
      // "Forget password" sends the plain URL, which drops the stored one; otherwise it is kept with the edited URL.
      return state.forget ? state.text : { $stored: state.stored, $url: state.text }
    case 'json':
      return state.text.trim() === '' ? undefined : (JSON.parse(state.text) as unknown)
    case 'mismatch':
      if (state.text === JSON.stringify(state.original, null, 2)) return state.original
      return state.text.trim() === '' ? undefined : (JSON.parse(state.text) as unknown)
    case 'secret': {
      const key = joinPath(path)
      if (typeof state.draft === 'string' && state.draft !== '') {
        secrets[key] = state.draft
        return undefined
      }
      if (state.draft === null) {
        if (state.stored !== undefined) secrets[key] = null
        return undefined
      }
      return state.stored === undefined ? undefined : { $stored: state.stored }
    }
    case 'object': {
      const before = Object.keys(secrets).length
      const out = buildObject(field.fields ?? [], state, path, secrets)
      // An optional group nobody filled in stays out, unless a secret under it needs it to exist.
      const needed = Object.keys(out).length > 0 || state.present || field.required || Object.keys(secrets).length > before
      return needed ? out : undefined
    }
    case 'list': {
      if (!state.present && state.items.length === 0) return undefined
      const item = field.item
      if (!item) return undefined
      return state.items.map((entry, index) => buildValue(item, entry.state, [...path, String(index)], secrets) ?? null)
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Sets a property as data, so an option named "__proto__" is an ordinary key. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
