import type { Backend, EngineContext, EngineDefinition } from '../core/engine'
import type { EngineRegistry } from '../core/engine-registry'
import { BackplaneError, ErrorCode } from '../core/errors'
import type { EventBus } from '../core/events'
import type { Logger } from '../core/log'
import { resolveSecrets } from '../core/secret-options'
import { SECTION_OF, type Kind } from '../core/schemas/kinds'
import type { SecretStore } from '../core/secrets/secret-store'
import type { AliasEntry } from '../core/settings/settings-document'
import type { SettingsStore } from '../core/settings/settings-store'

interface Slot {
  fingerprint: string
  backend: Promise<Backend>
}

export interface PoolDeps {
  registry: EngineRegistry
  settings: SettingsStore
  secrets: SecretStore
  dataDir: string
  log: Logger
  events: EventBus
  /** Services offered to engines by name (the outbox store is "outbox"). */
  services: Map<string, unknown>
}

/**
 * One live backend per configured alias (Django's `connections` / `caches` handlers): built on first
 * use, rebuilt when its settings change, closed on shutdown.
 */
export class BackendPool {
  private readonly slots = new Map<string, Slot>()

  constructor(private readonly deps: PoolDeps) {}

  async get(kind: Kind, alias: string): Promise<Backend> {
    const loaded = this.deps.settings.alias(kind, alias)
    if (!loaded) {
      throw new BackplaneError(ErrorCode.E_ALIAS_NOT_FOUND, `No ${kind} alias "${alias}" is configured.`, {
        hint: `Add it under "${SECTION_OF[kind]}" in Settings.`,
      })
    }
    const key = `${kind}:${alias}`
    const fingerprint = JSON.stringify(loaded.entry)
    const slot = this.slots.get(key)
    if (slot && slot.fingerprint === fingerprint) return slot.backend
    if (slot) void this.dispose(key, slot)
    const backend = this.build(kind, alias, loaded.entry)
    this.slots.set(key, { fingerprint, backend })
    backend.catch(() => {
      // A failed build is not cached: the next call tries again (the server may be up by then).
      if (this.slots.get(key)?.backend === backend) this.slots.delete(key)
    })
    return backend
  }

  /** Builds a backend that is not kept: the settings form's "Test" on values not saved yet. */
  async build(kind: Kind, alias: string, entry: AliasEntry): Promise<Backend> {
    const engine = await this.deps.registry.resolve(kind, entry.engine, this.deps.dataDir)
    const options = await this.parseOptions(engine, kind, alias, entry)
    return engine.create(options, this.context(kind, alias, entry.engine))
  }

  async parseOptions(engine: EngineDefinition, kind: Kind, alias: string, entry: AliasEntry): Promise<unknown> {
    const where = `${kind} alias "${alias}"`
    const resolved = await resolveSecrets(entry.options ?? {}, this.deps.secrets, where)
    const parsed = engine.options.safeParse(resolved)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))
      throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `The options of ${where} are invalid: ${issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`, {
        hint: 'Fix the highlighted fields in Settings.',
        details: { issues },
      })
    }
    return parsed.data
  }

  /**
   * Closes an alias's live backend so the next use builds it anew: for a changed secret, which the
   * settings entry (and so the fingerprint) does not show, since it holds only the secret's reference.
   */
  async forget(kind: Kind, alias: string): Promise<void> {
    const key = `${kind}:${alias}`
    const slot = this.slots.get(key)
    if (slot) await this.dispose(key, slot)
  }

  /** Closes backends whose alias was removed or changed, so no stale connection lingers. */
  async refresh(): Promise<void> {
    const current = new Map(this.deps.settings.snapshot.aliases.map((a) => [`${a.kind}:${a.name}`, JSON.stringify(a.entry)]))
    await Promise.all(
      [...this.slots].filter(([key, slot]) => current.get(key) !== slot.fingerprint).map(([key, slot]) => this.dispose(key, slot)),
    )
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.slots].map(([key, slot]) => this.dispose(key, slot)))
  }

  private async dispose(key: string, slot: Slot): Promise<void> {
    if (this.slots.get(key) === slot) this.slots.delete(key)
    try {
      await (await slot.backend).close()
    } catch (err) {
      this.deps.log.debug(`closing ${key}: ${(err as Error).message}`)
    }
  }

  private context(kind: Kind, alias: string, engine: string): EngineContext {
    return {
      kind,
      alias,
      engine,
      dataDir: this.deps.dataDir,
      log: this.deps.log.child(`${kind}:${alias}`),
      events: this.deps.events,
      backend: (k, a) => this.get(k, a),
      service: <T>(name: string) => this.deps.services.get(name) as T | undefined,
    }
  }
}
