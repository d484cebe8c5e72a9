import { z } from 'zod'
import { AliasName, ErrorPayload, HealthReport, Kind, SettingsIssue } from '../../core/schemas'
import { method } from './define'

/**
 * An alias as the renderer sees it: its options tree with a `{ $stored: path }` marker wherever a secret is
 * (`{ $stored, $url }` for a URL option, the URL without its password), never a value or a store id;
 * `secrets` says, by path (`password`, `servers/0/password`), which secrets are set.
 */
export const AliasView = z.object({
  kind: Kind,
  name: z.string(),
  engine: z.string(),
  valid: z.boolean(),
  options: z.record(z.string(), z.unknown()),
  secrets: z.record(z.string(), z.boolean()),
})
export type AliasView = z.infer<typeof AliasView>

export const EngineView = z.object({
  kind: Kind,
  id: z.string(),
  title: z.string(),
  description: z.string().optional(),
  /** JSON Schema of the options (input side), from which the settings form is generated. */
  schema: z.record(z.string(), z.unknown()),
  /** Paths of the write-only options, "*" for every item of an array: `password`, `servers/*\/password`. */
  secretFields: z.array(z.string()),
  custom: z.boolean(),
  /** Why a custom engine does not load (E_ENGINE_UNTRUSTED until its module is trusted), with its hint. */
  error: ErrorPayload.optional(),
})
export type EngineView = z.infer<typeof EngineView>

export const SettingsView = z.object({
  file: z.string(),
  status: z.enum(['ok', 'created', 'corrupt']),
  aliases: z.array(AliasView),
  issues: z.array(SettingsIssue),
})
export type SettingsView = z.infer<typeof SettingsView>

export const AliasDraft = z.object({
  kind: Kind,
  name: AliasName,
  engine: z.string().min(1, 'Choose an engine.'),
  /**
   * The options tree. Where a secret is kept, the `{ $stored: path }` marker of AliasView (moved along
   * when an array item moves); a secret outside any array that is left out is kept too. A password typed
   * inside a URL moves into the secret store. A `$secret` reference is never accepted from here.
   */
  options: z.record(z.string(), z.unknown()).default({}),
  /** New secret values by path (`password`, `servers/0/password`, a URL option's path for its password); null clears one. Write-only. */
  secrets: z.record(z.string(), z.string().nullable()).optional(),
  /** Set when the draft edits an existing alias under a new name. */
  previousName: z.string().optional(),
})
export type AliasDraft = z.input<typeof AliasDraft>

const AliasRef = z.object({ kind: Kind, name: z.string() })
const AliasCopy = z.object({ kind: Kind, from: z.string(), to: AliasName })

export const settingsMethods = {
  'settings.get': method({
    redact: true,
    description: 'Every configured alias of every kind, with the problems found in the settings file.',
    input: z.object({}).default({}),
    output: SettingsView,
  }),
  'settings.engines': method({
    description: 'The engines available for each kind, with the JSON Schema of their options; with `spec`, the custom engine module it names (trusted or not).',
    input: z.object({ kind: Kind.optional(), spec: z.string().min(1).max(4096).optional() }).default({}),
    output: z.array(EngineView),
  }),
  'settings.saveAlias': method({
    redact: true,
    description: 'Creates or replaces an alias (renaming it first when previousName differs); nothing is written if the options are invalid.',
    input: AliasDraft,
    output: AliasView,
  }),
  'settings.testAlias': method({
    redact: true,
    description: "Runs the health check of a draft alias without saving it.",
    input: AliasDraft,
    output: HealthReport,
  }),
  'settings.renameAlias': method({
    description: 'Renames an alias, moving its secrets along.',
    input: AliasCopy,
    output: z.object({ ok: z.literal(true) }),
  }),
  'settings.duplicateAlias': method({
    description: 'Copies an alias (and its secrets) under a new name.',
    input: AliasCopy,
    output: z.object({ ok: z.literal(true) }),
  }),
  'settings.deleteAlias': method({
    description: 'Deletes an alias and its secrets.',
    input: AliasRef,
    output: z.object({ ok: z.literal(true) }),
  }),
  'settings.reload': method({
    redact: true,
    description: 'Reads the settings file again (after editing it by hand).',
    input: z.object({}).default({}),
    output: SettingsView,
  }),
  'settings.recover': method({
    description: 'Moves an unreadable settings file aside, keeping it, and starts again from the defaults.',
    input: z.object({}).default({}),
    output: z.object({ backup: z.string().nullable() }),
  }),
}
