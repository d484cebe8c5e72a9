import type { EngineRegistry } from '../core/engine-registry'
import { BackplaneError, ErrorCode } from '../core/errors'
import { failedReport } from '../core/health-probe'
import { secretFields } from '../core/secret-options'
import type { HealthReport } from '../core/schemas/health'
import { AliasName, SECTION_OF, isSecretRef, type Kind } from '../core/schemas/kinds'
import type { SecretStore } from '../core/secrets/secret-store'
import type { AliasEntry } from '../core/settings/settings-document'
import { sectionOf, type SettingsStore } from '../core/settings/settings-store'
import type { BackendPool } from './backend-pool'

export interface AliasDraft {
  kind: Kind
  name: string
  engine: string
  /** Plain option values; secret fields are ignored here and taken from `secrets`. */
  options: Record<string, unknown>
  /** New secret values by field; null clears one; a field left out keeps what is stored. */
  secrets?: Record<string, string | null>
}

interface PreparedDraft {
  entry: AliasEntry
  /** Options with new secret values in place of references, for validation and tests only. */
  plain: AliasEntry
  newSecrets: Map<string, string>
  droppedSecrets: string[]
}

/**
 * Every change a user makes to an alias: validated against the engine before anything is written,
 * secrets into the secret store and only references into settings.json, renames and duplicates
 * carrying their secrets along.
 */
export class AliasEditor {
  constructor(
    private readonly registry: EngineRegistry,
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
    private readonly pool: BackendPool,
    private readonly dataDir: string,
  ) {}

  async save(draft: AliasDraft): Promise<void> {
    this.assertName(draft.name)
    const prepared = await this.prepare(draft)
    await this.pool.parseOptions(await this.registry.resolve(draft.kind, draft.engine, this.dataDir), draft.kind, draft.name, prepared.plain)
    // Secrets first: if writing settings then fails, an unused secret remains, never a dangling reference.
    for (const [id, value] of prepared.newSecrets) await this.secrets.set(id, value)
    await this.settings.update((doc) => {
      sectionOf(doc, draft.kind)[draft.name] = prepared.entry
    })
    for (const id of prepared.droppedSecrets) await this.secrets.delete(id)
    if (prepared.newSecrets.size > 0) await this.pool.forget(draft.kind, draft.name)
  }

  /** Runs the health check of a draft without saving it: the settings form's "Test". */
  async test(draft: AliasDraft): Promise<HealthReport> {
    let backend
    try {
      const prepared = await this.prepare(draft)
      backend = await this.pool.build(draft.kind, draft.name, prepared.plain)
      return await backend.check()
    } catch (err) {
      return failedReport(draft.kind, draft.name, draft.engine, err)
    } finally {
      await backend?.close().catch(() => undefined)
    }
  }

  async rename(kind: Kind, from: string, to: string): Promise<void> {
    if (from === to) return
    this.assertName(to)
    const moved = new Map<string, string>()
    await this.settings.update(async (doc) => {
      const section = sectionOf(doc, kind)
      const entry = this.existing(section, kind, from)
      this.assertFree(section, kind, to)
      const renamed = await this.copySecrets(kind, to, entry, moved)
      // Rebuild in order so the renamed alias keeps its place (the auth chain order depends on it).
      const entries = Object.entries(section).map(([k, v]) => (k === from ? ([to, renamed] as const) : ([k, v] as const)))
      for (const k of Object.keys(section)) delete section[k]
      for (const [k, v] of entries) section[k] = v
    })
    for (const oldId of moved.keys()) await this.secrets.delete(oldId)
  }

  async duplicate(kind: Kind, from: string, to: string): Promise<void> {
    this.assertName(to)
    await this.settings.update(async (doc) => {
      const section = sectionOf(doc, kind)
      const entry = this.existing(section, kind, from)
      this.assertFree(section, kind, to)
      section[to] = await this.copySecrets(kind, to, entry, new Map())
    })
  }

  async delete(kind: Kind, name: string): Promise<void> {
    let removed: AliasEntry | undefined
    await this.settings.update((doc) => {
      const section = sectionOf(doc, kind)
      removed = this.existing(section, kind, name)
      delete section[name]
    })
    for (const value of Object.values(removed?.options ?? {})) if (isSecretRef(value)) await this.secrets.delete(value.$secret)
  }

  private async prepare(draft: AliasDraft): Promise<PreparedDraft> {
    const engine = await this.registry.resolve(draft.kind, draft.engine, this.dataDir)
    const secretNames = new Set(secretFields(engine.options))
    const previous = this.rawEntry(draft.kind, draft.name)
    const options: Record<string, unknown> = {}
    const plain: Record<string, unknown> = {}
    const newSecrets = new Map<string, string>()
    const droppedSecrets: string[] = []
    for (const [key, value] of Object.entries(draft.options)) {
      // A reference coming from the renderer is never trusted: it could point at another alias's secret.
      if (secretNames.has(key) || isSecretRef(value) || value === undefined) continue
      options[key] = value
      plain[key] = value
    }
    for (const field of secretNames) {
      const given = draft.secrets?.[field] ?? (typeof draft.options[field] === 'string' ? (draft.options[field] as string) : undefined)
      const kept = previous?.options?.[field]
      if (typeof given === 'string' && given !== '') {
        const id = secretId(draft.kind, draft.name, field)
        newSecrets.set(id, given)
        options[field] = { $secret: id }
        plain[field] = given
      } else if (draft.secrets?.[field] === null) {
        if (isSecretRef(kept)) droppedSecrets.push(kept.$secret)
      } else if (isSecretRef(kept)) {
        options[field] = kept
        plain[field] = kept
      }
    }
    return {
      entry: { engine: draft.engine, options },
      plain: { engine: draft.engine, options: plain },
      newSecrets,
      droppedSecrets,
    }
  }

  /** A copy of the entry whose secrets live under the new alias's ids. */
  private async copySecrets(kind: Kind, to: string, entry: AliasEntry, moved: Map<string, string>): Promise<AliasEntry> {
    const options: Record<string, unknown> = { ...entry.options }
    for (const [field, value] of Object.entries(options)) {
      if (!isSecretRef(value)) continue
      const secret = await this.secrets.get(value.$secret)
      if (secret === undefined) continue
      const id = secretId(kind, to, field)
      await this.secrets.set(id, secret)
      moved.set(value.$secret, id)
      options[field] = { $secret: id }
    }
    return entry.options === undefined ? { ...entry } : { ...entry, options }
  }

  private rawEntry(kind: Kind, name: string): AliasEntry | undefined {
    const section = this.settings.snapshot.doc[SECTION_OF[kind]] as Record<string, AliasEntry> | undefined
    const entry = section?.[name]
    return entry && typeof entry === 'object' ? entry : undefined
  }

  private existing(section: Record<string, AliasEntry>, kind: Kind, name: string): AliasEntry {
    const entry = section[name]
    if (entry === undefined) throw new BackplaneError(ErrorCode.E_ALIAS_NOT_FOUND, `No ${kind} alias "${name}".`, { hint: 'Reload Settings: it may have been renamed or deleted meanwhile.' })
    return entry
  }

  private assertFree(section: Record<string, AliasEntry>, kind: Kind, name: string): void {
    if (name in section) throw new BackplaneError(ErrorCode.E_CONFLICT, `A ${kind} alias "${name}" already exists.`, { hint: 'Choose another name.' })
  }

  private assertName(name: string): void {
    const parsed = AliasName.safeParse(name)
    if (!parsed.success) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `"${name}" is not a valid alias name.`, {
        hint: parsed.error.issues[0]?.message,
        details: { issues: [{ path: ['name'], message: parsed.error.issues[0]?.message ?? 'invalid' }] },
      })
    }
  }
}

function secretId(kind: Kind, alias: string, field: string): string {
  return `${SECTION_OF[kind]}.${alias}.${field}`
}
