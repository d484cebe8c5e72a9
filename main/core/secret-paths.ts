import type { OptionsSchema } from './engine'
import { optionsJsonSchema } from './options-schema'

/**
 * Where secrets sit in an engine's options, as paths: segments joined by "/" (RFC 6901 escapes "~0"
 * and "~1" inside a segment), "*" standing for every item of an array. `password`,
 * `servers/*\/password`, `credentials/secretAccessKey`.
 */
export type SecretPath = string

export function joinPath(segments: readonly (string | number)[]): string {
  return segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')
}

export function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

interface SchemaNode {
  type?: string | string[]
  writeOnly?: boolean
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
  anyOf?: SchemaNode[]
  oneOf?: SchemaNode[]
  allOf?: SchemaNode[]
}

const MAX_SCHEMA_DEPTH = 16

/** The secret paths an engine's options schema declares (write-only strings at any depth). */
export function secretPaths(schema: OptionsSchema): SecretPath[] {
  const found = new Set<string>()
  const visit = (node: SchemaNode | undefined, path: string[], depth: number) => {
    if (!node || typeof node !== 'object' || depth > MAX_SCHEMA_DEPTH) return
    if (node.writeOnly === true) {
      found.add(joinPath(path))
      return
    }
    for (const variant of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) visit(variant, path, depth + 1)
    for (const [key, child] of Object.entries(node.properties ?? {})) visit(child, [...path, key], depth + 1)
    if (node.items) visit(node.items, [...path, '*'], depth + 1)
  }
  visit(optionsJsonSchema(schema) as SchemaNode, [], 0)
  return [...found]
}

/** Whether a concrete path (`servers/1/password`) is one of the patterns (`servers/*\/password`). */
export function matchesSecretPath(segments: readonly string[], patterns: readonly SecretPath[]): boolean {
  return patterns.some((pattern) => {
    const parts = splitPath(pattern)
    return parts.length === segments.length && parts.every((p, i) => p === '*' ? /^\d+$/.test(segments[i]!) : p === segments[i])
  })
}

/** The value at a path inside a tree of plain objects and arrays, looking only at own properties. */
export function valueAt(tree: unknown, segments: readonly string[]): unknown {
  let node = tree
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return node
}
