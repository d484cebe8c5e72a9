import { z } from 'zod'
import { BackplaneError, ErrorCode } from './errors'
import type { OptionsSchema } from './engine'
import { isSecretRef } from './schemas/kinds'
import type { SecretStore } from './secrets/secret-store'

/** Option names an engine marks as secret (write-only in its JSON Schema). */
export function secretFields(schema: OptionsSchema): string[] {
  const json = optionsJsonSchema(schema)
  const properties = (json.properties ?? {}) as Record<string, { writeOnly?: boolean }>
  return Object.entries(properties)
    .filter(([, p]) => p.writeOnly === true)
    .map(([name]) => name)
}

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

/** Replaces every `{ "$secret": id }` in the options with the stored value, for building a backend. */
export async function resolveSecrets(options: Record<string, unknown>, secrets: SecretStore, where: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (isSecretRef(value)) {
      const resolved = await secrets.get(value.$secret)
      if (resolved === undefined) {
        throw new BackplaneError(ErrorCode.E_SECRET_MISSING, `The secret for "${key}" of ${where} is not in the secret store (${secrets.description}).`, {
          hint: 'Open the alias in Settings and enter it again.',
          details: { field: key, secret: value.$secret },
        })
      }
      out[key] = resolved
    } else {
      out[key] = value
    }
  }
  return out
}
