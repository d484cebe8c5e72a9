import type { FieldSpec } from './json-schema'
import { joinPath } from './option-paths'
import { describeMismatch } from './stored-types'

/**
 * What the form holds for one option, shaped like the options tree so that an array item carries
 * its own secrets wherever it moves. `present` says whether the alias's stored options had the value
 * (a value equal to the default is sent only then, so settings.json keeps what someone chose).
 *
 * Secret values are never here, except what the user types into a write-only box (`draft`); a stored
 * secret is only the path of its `{ $stored }` marker, which the draft sends back at the item's new place.
 */
export type FieldState =
  /** The explicit "empty" of a nullable option. */
  | { kind: 'null'; present: boolean }
  /** Text, boolean, enum and tags: the option's value itself; undefined means not set (the default applies). */
  | { kind: 'value'; value: unknown; present: boolean }
  /** A number exactly as typed, so 1.5 in a whole-number field is refused rather than made 1. */
  | { kind: 'number'; text: string; present: boolean }
  /** A URL whose password is in the secret store: the URL without it, and the marker's path. */
  | { kind: 'url'; text: string; stored: string; forget: boolean; present: boolean }
  | { kind: 'json'; text: string; present: boolean }
  /** A stored value the schema does not describe: shown as JSON and sent back unchanged unless edited. */
  | { kind: 'mismatch'; original: unknown; text: string; warning: string; present: boolean }
  /** `stored`: the marker's path when a value is stored; `draft`: a new value (null clears); `file`: where it was loaded from. */
  | { kind: 'secret'; stored?: string; draft?: string | null; file?: string; present: boolean }
  /** `extra`: keys the schema does not name, kept as they are. */
  | { kind: 'object'; fields: Record<string, FieldState>; extra: Record<string, unknown>; present: boolean }
  | { kind: 'list'; items: ListItem[]; present: boolean }

export type ObjectState = Extract<FieldState, { kind: 'object' }>
export type ListState = Extract<FieldState, { kind: 'list' }>

/** One array item with an id that stays the same when items before it are removed or moved (React's key). */
export interface ListItem {
  id: number
  state: FieldState
}

let lastItemId = 0
const nextItemId = () => ++lastItemId

export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The `{ $stored: path }` marker of AliasView (with `$url` for a URL option whose password is stored). */
export function storedMarker(value: unknown): { $stored: string; $url?: string } | undefined {
  if (!isPlainObject(value) || typeof value.$stored !== 'string') return undefined
  const keys = Object.keys(value)
  if (keys.some((key) => key !== '$stored' && key !== '$url')) return undefined
  if (value.$url !== undefined && typeof value.$url !== 'string') return undefined
  return value.$url === undefined ? { $stored: value.$stored } : { $stored: value.$stored, $url: value.$url }
}

const jsonText = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2))

/**
 * The state of a field from its stored value (`present`) or, when the alias does not have it, its
 * default. A stored value of another type than the schema's becomes a mismatch, never coerced.
 */
export function initialState(field: FieldSpec, value: unknown, present: boolean): FieldState {
  if (value === undefined) return emptyState(field, present)
  if (value === null && field.nullable) return { kind: 'null', present }
  const state = stateOf(field, value, present)
  if (state) return state
  // A default the schema itself contradicts is no one's choice: start empty instead.
  return present ? { kind: 'mismatch', original: value, text: jsonText(value), warning: describeMismatch(field, value), present } : emptyState(field, false)
}

/** Where a field starts when nothing is stored: its default, else not set. */
export function defaultState(field: FieldSpec, present = false): FieldState {
  const state = field.hasDefault && field.default !== undefined ? initialState(field, field.default, false) : emptyState(field, false)
  return { ...state, present }
}

function emptyState(field: FieldSpec, present: boolean): FieldState {
  switch (field.control) {
    case 'number':
      return { kind: 'number', text: '', present }
    case 'json':
      return { kind: 'json', text: '', present }
    case 'secret':
      return { kind: 'secret', present }
    case 'object':
      return objectState(field, {}, present)
    case 'list':
      return { kind: 'list', items: [], present }
    default:
      return { kind: 'value', value: undefined, present }
  }
}

function stateOf(field: FieldSpec, value: unknown, present: boolean): FieldState | undefined {
  const marker = storedMarker(value)
  switch (field.control) {
    case 'text':
      if (typeof value === 'string') return { kind: 'value', value, present }
      if (marker?.$url !== undefined) return { kind: 'url', text: marker.$url, stored: marker.$stored, forget: false, present }
      return undefined
    case 'secret':
      return marker && marker.$url === undefined ? { kind: 'secret', stored: marker.$stored, present } : undefined
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && (!field.integer || Number.isInteger(value)) ? { kind: 'number', text: String(value), present } : undefined
    case 'boolean':
      return typeof value === 'boolean' ? { kind: 'value', value, present } : undefined
    case 'enum':
      return field.options?.some((option) => option === value) ? { kind: 'value', value, present } : undefined
    case 'tags':
      if (!Array.isArray(value)) return undefined
      if (value.every((item) => typeof item === 'string')) return { kind: 'value', value, present }
      // A URL among them has its password stored: one box per item, so each keeps its marker.
      if (field.item && value.every((item) => typeof item === 'string' || storedMarker(item)?.$url !== undefined)) return listState(field.item, value, present)
      return undefined
    case 'json':
      return { kind: 'json', text: jsonText(value), present }
    case 'object':
      return isPlainObject(value) && !marker ? objectState(field, value, present) : undefined
    case 'list':
      return Array.isArray(value) && field.item ? listState(field.item, value, present) : undefined
    default:
      return undefined
  }
}

function objectState(field: FieldSpec, value: Record<string, unknown>, present: boolean): ObjectState {
  const fields: Record<string, FieldState> = {}
  for (const child of field.fields ?? []) {
    const has = Object.hasOwn(value, child.name)
    fields[child.name] = initialState(child, has ? value[child.name] : child.default, present && has)
  }
  const known = new Set((field.fields ?? []).map((child) => child.name))
  const extra = Object.fromEntries(Object.entries(value).filter(([key]) => !known.has(key)))
  return { kind: 'object', fields, extra: present ? extra : {}, present }
}

function listState(item: FieldSpec, values: readonly unknown[], present: boolean): ListState {
  return { kind: 'list', items: values.map((value) => ({ id: nextItemId(), state: initialState(item, value, true) })), present }
}

/** The form of an engine's options: the whole options object as the root's state. */
export function rootState(fields: readonly FieldSpec[], options: Record<string, unknown>): ObjectState {
  return objectState({ name: '', label: '', control: 'object', schema: {}, integer: false, nullable: false, required: true, hasDefault: false, fields: [...fields] }, options, true)
}

/** A new item at the end: its defaults, and its secrets not set (they belong to no stored item). */
export function addItem(list: ListState, item: FieldSpec): ListState {
  return { ...list, items: [...list.items, { id: nextItemId(), state: defaultState(item) }] }
}

export function removeItem(list: ListState, index: number): ListState {
  return { ...list, items: list.items.filter((_, i) => i !== index) }
}

/** Moves an item by one place; its state (and so its secrets' markers) goes with it. */
export function moveItem(list: ListState, index: number, by: -1 | 1): ListState {
  const to = index + by
  if (to < 0 || to >= list.items.length) return list
  const items = [...list.items]
  const [moved] = items.splice(index, 1)
  if (moved) items.splice(to, 0, moved)
  return { ...list, items }
}

/** Options the alias has that the engine does not declare (hand-edited, or left from another engine). */
export function unknownOptions(fields: readonly FieldSpec[], options: Record<string, unknown>): Record<string, unknown> {
  const known = new Set(fields.map((field) => field.name))
  return Object.fromEntries(Object.entries(options).filter(([key]) => !known.has(key)))
}

/** Whether a value is one the field's control can show: what an edited mismatch must become. */
export function fitsField(field: FieldSpec, value: unknown): boolean {
  return value === null ? field.nullable : stateOf(field, value, true) !== undefined
}

/** The path of every field the form shows (`credentials`, `servers/1/port`), for placing the server's issues. */
export function fieldPaths(fields: readonly FieldSpec[], root: ObjectState): Set<string> {
  const paths = new Set<string>()
  const visit = (field: FieldSpec, state: FieldState, path: string[]) => {
    paths.add(joinPath(path))
    if (state.kind === 'object') for (const child of field.fields ?? []) visitChild(child, state, path)
    if (state.kind === 'list' && field.item) {
      const item = field.item
      state.items.forEach((entry, index) => visit(item, entry.state, [...path, String(index)]))
    }
  }
  const visitChild = (child: FieldSpec, parent: ObjectState, path: string[]) => {
    const state = parent.fields[child.name]
    if (state) visit(child, state, [...path, child.name])
  }
  for (const field of fields) visitChild(field, root, [])
  return paths
}

/** The state with the field at `segments` (object keys and item indexes) replaced by `next`. */
export function setAt<S extends FieldState>(state: S, segments: readonly string[], next: FieldState): S {
  const [head, ...rest] = segments
  if (head === undefined) return next as S
  if (state.kind === 'object') {
    const child = state.fields[head]
    return child ? { ...state, fields: { ...state.fields, [head]: setAt(child, rest, next) } } : state
  }
  if (state.kind === 'list') {
    const index = Number(head)
    const entry = state.items[index]
    return entry ? { ...state, items: state.items.with(index, { ...entry, state: setAt(entry.state, rest, next) }) } : state
  }
  return state
}

/**
 * The root with a state for every field: the engine's schema may arrive or change while the form is
 * open (a module trusted meanwhile), and its new fields start from the stored options.
 */
export function withEveryField(root: ObjectState, fields: readonly FieldSpec[], options: Record<string, unknown>): ObjectState {
  if (fields.every((field) => root.fields[field.name] !== undefined)) return root
  return { ...root, fields: { ...rootState(fields, options).fields, ...root.fields } }
}
