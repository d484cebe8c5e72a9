/**
 * The part of JSON Schema (draft 2020-12, as zod 4's toJSONSchema writes it) that an engine's
 * options use, turned into a tree of FieldSpecs: one per option, nested objects and arrays with
 * theirs. Everything the form does is driven by this, so a new engine needs no UI code (ARCHITECTURE.md).
 */
export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  default?: unknown
  description?: string
  title?: string
  writeOnly?: boolean
  format?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  minItems?: number
  maxItems?: number
  /** Set by secretString({ multiline: true }): a key or certificate, typed or loaded from a file. */
  'x-multiline'?: boolean
}

export type FieldControl = 'text' | 'number' | 'boolean' | 'enum' | 'tags' | 'json' | 'secret' | 'object' | 'list'

export interface FieldSpec {
  /** The option's key; "*" for the items of an array. */
  name: string
  label: string
  control: FieldControl
  /** The schema of the value once null is taken out. */
  schema: JsonSchema
  integer: boolean
  /** null is a value of its own ("empty"), offered with a clear affordance. */
  nullable: boolean
  required: boolean
  description?: string
  hasDefault: boolean
  default?: unknown
  /** For enum controls, without null. */
  options?: unknown[]
  /** For object controls: its options, in the schema's order. */
  fields?: FieldSpec[]
  /** For list and tags controls: what one item is. */
  item?: FieldSpec
  /** For secret controls: a multi-line value (a private key, a certificate). */
  multiline?: boolean
}

/**
 * How deep objects and arrays nest as groups of fields before the rest is edited as JSON: deeper
 * forms are hard to read, and no engine we know of needs more.
 */
export const MAX_FORM_DEPTH = 4

const isNullSchema = (schema: JsonSchema) => schema.type === 'null' || (schema.enum?.length === 1 && schema.enum[0] === null) || schema.const === null

/** Strips null out of anyOf / type arrays / enums, saying whether it was there. */
function withoutNull(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const variants = schema.anyOf ?? schema.oneOf
  if (variants) {
    const rest = variants.filter((variant) => !isNullSchema(variant))
    const nullable = rest.length < variants.length
    const { anyOf: _anyOf, oneOf: _oneOf, ...outer } = schema
    // A single remaining variant is the field's real type; several stay a union (edited as JSON).
    return { schema: rest.length === 1 ? { ...outer, ...rest[0] } : { ...outer, anyOf: rest }, nullable }
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== 'null')
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: types.length < schema.type.length }
  }
  if (schema.enum?.includes(null)) return { schema: { ...schema, enum: schema.enum.filter((value) => value !== null) }, nullable: true }
  return { schema, nullable: false }
}

const hasProperties = (schema: JsonSchema) => Object.keys(schema.properties ?? {}).length > 0

function controlFor(schema: JsonSchema, depth: number): FieldControl {
  if (schema.enum) return 'enum'
  if (schema.const !== undefined) return 'enum'
  if (schema.anyOf || Array.isArray(schema.type)) return 'json'
  switch (schema.type) {
    case 'string':
      return schema.writeOnly ? 'secret' : 'text'
    case 'number':
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'object':
      // A record (additionalProperties only) has no fields to show: its JSON says it best.
      return hasProperties(schema) && depth < MAX_FORM_DEPTH ? 'object' : 'json'
    case 'array': {
      const items = schema.items
      if (!items || depth >= MAX_FORM_DEPTH) return 'json'
      if (items.type === 'string' && !items.enum && !items.writeOnly) return 'tags'
      // A list of bare secrets has no object to hold each new value (secrets[path] needs one): JSON, markers and all.
      if (items.writeOnly) return 'json'
      return controlFor(withoutNull(items).schema, depth + 1) === 'json' ? 'json' : 'list'
    }
    default:
      return 'json'
  }
}

/** "maxEntries" → "Max entries", "baseUrl" → "Base URL": labels in words, the key shown beside them. */
export function humanize(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((word) => (/^(url|tls|ssl|id|dn|sql|smtp|dsn|uri|api|ttl|db)$/i.test(word) ? word.toUpperCase() : word.toLowerCase()))
  const sentence = words.join(' ')
  return sentence.charAt(0).toUpperCase() + sentence.slice(1)
}

/** The options of an object schema (the engine's root, or a nested object), each with its control. */
export function describeFields(root: JsonSchema, depth = 0): FieldSpec[] {
  const required = new Set(root.required ?? [])
  return Object.entries(root.properties ?? {}).map(([name, raw]) => describeField(name, raw, required.has(name), depth))
}

export function describeField(name: string, raw: JsonSchema, required: boolean, depth: number): FieldSpec {
  const { schema, nullable } = withoutNull(raw)
  const control = controlFor(schema, depth)
  const options = schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined)
  const description = raw.description ?? schema.description
  return {
    name,
    label: schema.title ?? raw.title ?? humanize(name),
    control,
    schema,
    integer: schema.type === 'integer',
    nullable,
    required,
    ...(description ? { description } : {}),
    hasDefault: 'default' in raw,
    ...('default' in raw ? { default: raw.default } : {}),
    ...(options ? { options } : {}),
    ...(control === 'object' ? { fields: describeFields(schema, depth + 1) } : {}),
    // An item always has a value (an array has no holes), so it counts as required.
    ...((control === 'list' || control === 'tags') && schema.items ? { item: describeField('*', schema.items, true, depth + 1) } : {}),
    ...(control === 'secret' && schema['x-multiline'] === true ? { multiline: true } : {}),
  }
}

/** "Servers" → "Server": what one item of a list is called ("Server 2", "Add server"). */
export function singular(label: string): string {
  if (/ies$/i.test(label)) return label.slice(0, -3) + 'y'
  if (/(ss|x|ch|sh)es$/i.test(label)) return label.slice(0, -2)
  if (/[^s]s$/i.test(label)) return label.slice(0, -1)
  return label
}

/** Whether the engine accepts options beyond the ones it declares (custom engines without a schema). */
export function allowsExtraOptions(root: JsonSchema): boolean {
  return root.additionalProperties !== undefined && root.additionalProperties !== false
}
