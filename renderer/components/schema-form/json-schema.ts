/**
 * The part of JSON Schema (draft 2020-12, as zod 4's toJSONSchema writes it) that an engine's
 * options use, turned into one FieldSpec per option. Everything the form does is driven by this,
 * so a new engine needs no UI code (ARCHITECTURE.md).
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
}

export type FieldControl = 'text' | 'number' | 'boolean' | 'enum' | 'tags' | 'json' | 'secret'

export interface FieldSpec {
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
}

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

function controlFor(schema: JsonSchema): FieldControl {
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
    case 'array':
      return schema.items?.type === 'string' && !schema.items.enum ? 'tags' : 'json'
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

export function describeFields(root: JsonSchema): FieldSpec[] {
  const required = new Set(root.required ?? [])
  return Object.entries(root.properties ?? {}).map(([name, raw]) => {
    const { schema, nullable } = withoutNull(raw)
    const control = controlFor(schema)
    const options = schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined)
    return {
      name,
      label: schema.title ?? humanize(name),
      control,
      schema,
      integer: schema.type === 'integer',
      nullable,
      required: required.has(name),
      ...(raw.description ?? schema.description ? { description: raw.description ?? schema.description } : {}),
      hasDefault: 'default' in raw,
      ...('default' in raw ? { default: raw.default } : {}),
      ...(options ? { options } : {}),
    }
  })
}

/** Whether the engine accepts options beyond the ones it declares (custom engines without a schema). */
export function allowsExtraOptions(root: JsonSchema): boolean {
  return root.additionalProperties !== undefined && root.additionalProperties !== false
}
