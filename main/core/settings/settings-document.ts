import { z } from 'zod'
import { KINDS, SECTION_OF, type Kind, type SettingsIssue } from '../schemas/kinds'
import { jsonPointer } from './json-pointer'

/** One alias as it stands in settings.json; options may hold `{ "$secret": id }` references. */
export const AliasEntry = z
  .object({
    engine: z.string().min(1, 'Name an engine: a built-in id such as "locmem", or a module path such as "./x.mjs#Name".'),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
export type AliasEntry = z.infer<typeof AliasEntry>

/** settings.json as read: known sections are alias maps; anything else is kept as it is. */
export type SettingsDocument = { version?: number } & Record<string, unknown>

export interface ParsedAlias {
  kind: Kind
  name: string
  entry: AliasEntry
}

const KNOWN_KEYS = new Set<string>(['version', 'services', ...Object.values(SECTION_OF)])

/**
 * Splits a document into aliases, reporting what does not fit (with its JSON pointer) instead of
 * failing as a whole: one broken alias must not take the others down.
 */
export function readAliases(doc: SettingsDocument, file: string, defaults: SettingsDocument): {
  aliases: ParsedAlias[]
  issues: SettingsIssue[]
} {
  const aliases: ParsedAlias[] = []
  const issues: SettingsIssue[] = []
  for (const key of Object.keys(doc)) {
    if (!KNOWN_KEYS.has(key)) {
      issues.push({ file, pointer: jsonPointer([key]), severity: 'warning', message: `Unknown section "${key}" is kept but ignored.` })
    }
  }
  for (const kind of KINDS) {
    const section = SECTION_OF[kind]
    const raw = section in doc ? doc[section] : defaults[section]
    if (raw === undefined) continue
    if (!isPlainObject(raw)) {
      issues.push({ file, pointer: jsonPointer([section]), severity: 'error', kind, message: `"${section}" must be an object mapping alias names to { "engine", "options" }.` })
      continue
    }
    for (const [name, value] of Object.entries(raw)) {
      const parsed = AliasEntry.safeParse(value)
      if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name)) {
        issues.push({ file, pointer: jsonPointer([section, name]), severity: 'error', kind, alias: name, message: `"${name}" is not a valid alias name: use letters, digits, "_" or "-".` })
        continue
      }
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          issues.push({ file, pointer: jsonPointer([section, name, ...issue.path.map(String)]), severity: 'error', kind, alias: name, message: issue.message })
        }
        continue
      }
      aliases.push({ kind, name, entry: parsed.data })
    }
  }
  return { aliases, issues }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
