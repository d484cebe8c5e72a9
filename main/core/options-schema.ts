import { z } from 'zod'
import type { OptionsSchema } from './engine'

const jsonSchemaCache = new WeakMap<object, Record<string, unknown>>()

/** The engine's options as JSON Schema (input side: what a user may type), which drives the settings form. */
export function optionsJsonSchema(schema: OptionsSchema): Record<string, unknown> {
  let json = jsonSchemaCache.get(schema)
  if (!json) {
    try {
      json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
    } catch {
      // A custom engine's schema from another zod copy may not convert; the form then offers raw JSON.
      json = { type: 'object', additionalProperties: true }
    }
    jsonSchemaCache.set(schema, json)
  }
  return json
}
