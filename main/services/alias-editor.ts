import type { EngineDefinition } from '../core/engine'
import type { EngineRegistry } from '../core/engine-registry'
import { BackplaneError, ErrorCode } from '../core/errors'
import { failedReport } from '../core/health-probe'
import { defineOwn, secretPaths } from '../core/secret-options'
import type { HealthReport } from '../core/schemas/health'
import { AliasName, SECTION_OF, type Kind } from '../core/schemas/kinds'
import type { SecretStore } from '../core/secrets/secret-store'
import { isPlainObject, type AliasEntry } from '../core/settings/settings-document'
import { sectionOf, type SettingsStore } from '../core/settings/settings-store'
import { withTimeout } from '../core/timeout'
import { planSecrets, referencedSecrets, rekeySecrets, type SecretPlan } from './alias-secrets'
import type { BackendPool } from './backend-pool'

export interface AliasDraft {
  kind: Kind
  name: string
  engine: string
  /** Option values; secrets are absent (kept), `{ $stored: path }` markers (kept or moved), or new values. */
  options: Record<string, unknown>
  /** New secret values by path (`password`, `servers/0/password`); null clears one; a path left out keeps what is stored. */
  secrets?: Record<string, string | null>
}

/**
 * Every change a user makes to an alias: validated against the engine before anything is written,
 * secrets (at any depth, and URL passwords) into the secret store and only references into
 * settings.json, renames and duplicates carrying their secrets along. Alias names are looked up as
 * own properties only, so "toString" or "__proto__" are names like any other.
 */
export class AliasEditor {
  constructor(
    private readonly registry: EngineRegistry,
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
    private readonly pool: BackendPool,
    private readonly dataDir: string,
    /** A draft's "Test" may not take longer than this, whatever the engine does. */
    private readonly testTimeoutMs = 10_000,
  ) {}

  async save(draft: AliasDraft): Promise<void> {
    this.assertName(draft.name)
    const engine = await this.registry.resolve(draft.kind, draft.engine, this.dataDir)
    let previous: AliasEntry | undefined
    let plan: SecretPlan | undefined
    // Planned inside the settings queue, so two saves of one alias cannot each keep or drop the other's secrets.
    await this.settings.update(async (doc) => {
      const section = sectionOf(doc, draft.kind)
      previous = Object.hasOwn(section, draft.name) && isPlainObject(section[draft.name]) ? section[draft.name] : undefined
      plan = await this.plan(draft, engine, previous)
      await this.pool.parseOptions(engine, draft.kind, draft.name, { engine: draft.engine, options: plan.plain })
      // The values before the entry that refers to them: should writing settings fail, the entry in use still
      // refers to ids that hold a value (the new one, at worst), never to one that holds none.
      for (const [id, value] of plan.newSecrets) await this.secrets.set(id, value)
      defineOwn(section, draft.name, { engine: draft.engine, options: plan.options })
    })
    const kept = referencedSecrets(plan!.options)
    for (const id of referencedSecrets(previous?.options)) if (!kept.has(id)) await this.secrets.delete(id)
    if (plan!.newSecrets.size > 0) this.pool.forget(draft.kind, draft.name)
  }

  /** Runs the health check of a draft without saving it: the settings form's "Test". It never hangs. */
  async test(draft: AliasDraft): Promise<HealthReport> {
    let building: Promise<Awaited<ReturnType<BackendPool['build']>>> | undefined
    const run = async () => {
      const engine = await this.registry.resolve(draft.kind, draft.engine, this.dataDir)
      const plan = await this.plan(draft, engine, this.rawEntry(draft.kind, draft.name))
      building = this.pool.build(draft.kind, draft.name, { engine: draft.engine, options: plan.plain })
      return (await building).check()
    }
    try {
      return await withTimeout(run(), this.testTimeoutMs, `Testing the ${draft.kind} alias "${draft.name}"`)
    } catch (err) {
      return failedReport(draft.kind, draft.name, draft.engine, err)
    } finally {
      // The backend is closed once it exists, even when it is built only after the test gave up on it.
      void building?.then((backend) => backend.close()).catch(() => undefined)
    }
  }

  async rename(kind: Kind, from: string, to: string): Promise<void> {
    if (from === to) return
    this.assertName(to)
    let oldIds = new Set<string>()
    await this.settings.update(async (doc) => {
      const section = sectionOf(doc, kind)
      const entry = this.existing(section, kind, from)
      this.assertFree(section, kind, to)
      oldIds = referencedSecrets(entry.options)
      const renamed = await this.copySecrets(kind, from, to, entry)
      // Rebuild in order so the renamed alias keeps its place (the auth chain order depends on it).
      const entries = Object.entries(section).map(([k, v]) => (k === from ? ([to, renamed] as const) : ([k, v] as const)))
      for (const k of Object.keys(section)) delete section[k]
      for (const [k, v] of entries) defineOwn(section, k, v)
    })
    for (const id of oldIds) await this.secrets.delete(id)
  }

  async duplicate(kind: Kind, from: string, to: string): Promise<void> {
    this.assertName(to)
    await this.settings.update(async (doc) => {
      const section = sectionOf(doc, kind)
      const entry = this.existing(section, kind, from)
      this.assertFree(section, kind, to)
      defineOwn(section, to, await this.copySecrets(kind, from, to, entry))
    })
  }

  async delete(kind: Kind, name: string): Promise<void> {
    let removed: AliasEntry | undefined
    await this.settings.update((doc) => {
      const section = sectionOf(doc, kind)
      removed = this.existing(section, kind, name)
      delete section[name]
    })
    for (const id of referencedSecrets(removed?.options)) await this.secrets.delete(id)
  }

  private async plan(draft: AliasDraft, engine: EngineDefinition, previous: AliasEntry | undefined): Promise<SecretPlan> {
    return planSecrets({
      kind: draft.kind,
      alias: draft.name,
      patterns: secretPaths(engine.options),
      options: draft.options,
      secrets: draft.secrets ?? {},
      previous: previous?.engine === draft.engine ? previous.options : undefined,
      store: this.secrets,
    })
  }

  /** A copy of the entry whose secrets live under the new alias's ids. */
  private async copySecrets(kind: Kind, from: string, to: string, entry: AliasEntry): Promise<AliasEntry> {
    if (entry.options === undefined) return { ...entry }
    const oldPrefix = `${SECTION_OF[kind]}.${from}.`
    const newPrefix = `${SECTION_OF[kind]}.${to}.`
    const copies = new Map<string, string>()
    const options = rekeySecrets(entry.options, (id) => {
      const next = id.startsWith(oldPrefix) ? newPrefix + id.slice(oldPrefix.length) : `${newPrefix}${id}`
      copies.set(id, next)
      return next
    }) as Record<string, unknown>
    for (const [oldId, newId] of copies) {
      const secret = await this.secrets.get(oldId)
      if (secret !== undefined) await this.secrets.set(newId, secret)
    }
    return { ...entry, options }
  }

  private rawEntry(kind: Kind, name: string): AliasEntry | undefined {
    const section = this.settings.snapshot.doc[SECTION_OF[kind]]
    if (!isPlainObject(section) || !Object.hasOwn(section, name)) return undefined
    const entry = section[name]
    return isPlainObject(entry) ? (entry as AliasEntry) : undefined
  }

  private existing(section: Record<string, AliasEntry>, kind: Kind, name: string): AliasEntry {
    if (!Object.hasOwn(section, name)) {
      throw new BackplaneError(ErrorCode.E_ALIAS_NOT_FOUND, `No ${kind} alias "${name}".`, { hint: 'Reload Settings: it may have been renamed or deleted meanwhile.' })
    }
    return section[name]!
  }

  private assertFree(section: Record<string, AliasEntry>, kind: Kind, name: string): void {
    if (Object.hasOwn(section, name)) throw new BackplaneError(ErrorCode.E_CONFLICT, `A ${kind} alias "${name}" already exists.`, { hint: 'Choose another name.' })
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
