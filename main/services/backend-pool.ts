import { Readable } from 'node:stream'
import type { Backend, BackendOf, EngineContext, EngineDefinition } from '../core/engine'
import type { EngineRegistry } from '../core/engine-registry'
import { noteCustomEngine } from '../core/call-scope'
import { BackplaneError, ErrorCode, asEngineError, toBackplaneError } from '../core/errors'
import type { EventBus } from '../core/events'
import type { Logger } from '../core/log'
import { resolveSecrets } from '../core/secret-options'
import { SECTION_OF, type Kind } from '../core/schemas/kinds'
import type { SecretStore } from '../core/secrets/secret-store'
import type { AliasEntry } from '../core/settings/settings-document'
import type { SettingsStore } from '../core/settings/settings-store'
import { withTimeout } from '../core/timeout'

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

export interface PoolTimeouts {
  /** A custom engine's call (or constructor) that takes longer gets E_TIMEOUT; built-in drivers keep their own timeouts. */
  customCallMs: number
  /** After an alias changes, how long calls already running on its old backend may finish before they are stopped. */
  drainMs: number
}

const DEFAULT_TIMEOUTS: PoolTimeouts = { customCallMs: 30_000, drainMs: 10_000 }

/** One live backend and the calls running on it. */
class Slot {
  inflight = 0
  retired = false
  /** Streams a call returned (a file being read): they count as running until they close. */
  private readonly streams = new Set<Readable>()
  private idle: (() => void) | undefined
  private stop: ((error: BackplaneError) => void) | undefined
  /** Rejects once the slot gives up on calls still running (drain timeout); never resolves. */
  readonly stopped = new Promise<never>((_, reject) => {
    this.stop = reject
  })
  tracked: Promise<Backend>

  constructor(
    readonly key: string,
    readonly label: string,
    readonly fingerprint: string,
    readonly backend: Promise<Backend>,
    readonly custom: boolean,
    wrap: (slot: Slot, backend: Backend) => Backend,
  ) {
    this.stopped.catch(() => undefined)
    this.tracked = backend.then((b) => wrap(this, b))
  }

  begin(): void {
    this.inflight++
  }

  end(): void {
    if (--this.inflight === 0) this.idle?.()
  }

  /** A returned stream keeps the call in flight until it closes, so a drain does not close its backend under it. */
  hold(stream: Readable): void {
    this.begin()
    this.streams.add(stream)
    stream.once('close', () => {
      this.streams.delete(stream)
      this.end()
    })
  }

  /** Resolves when no call runs any more, or after `ms`; then stops what still runs. */
  async drain(ms: number): Promise<void> {
    this.retired = true
    if (this.inflight > 0) {
      let timer: NodeJS.Timeout | undefined
      await new Promise<void>((resolve) => {
        this.idle = resolve
        timer = setTimeout(resolve, ms)
      })
      clearTimeout(timer)
    }
    if (this.inflight > 0) {
      const error = new BackplaneError(ErrorCode.E_ALIAS_CHANGED, `The ${this.label} was changed while this call ran; the call was stopped after ${Math.round(ms / 100) / 10} s so the old connection could close.`)
      this.stop?.(error)
      for (const stream of this.streams) stream.destroy(error)
    }
  }
}

/**
 * One live backend per configured alias (Django's `connections` / `caches` handlers): built on first
 * use, rebuilt when its settings change, closed on shutdown. Callers get the backend behind a thin
 * wrapper that counts the calls in flight, so that an edit never drops work: the old backend drains
 * (running calls finish, up to a timeout, then get E_ALIAS_CHANGED) while new calls go to the new one,
 * and only then is the old one closed. A custom engine's calls are also held to a timeout, and its
 * untyped failures are reported as the engine's, not as Backplane's.
 */
export class BackendPool {
  private readonly slots = new Map<string, Slot>()
  /** Old backends still draining after their alias changed; closeAll() waits for them. */
  private readonly retiring = new Set<Promise<void>>()
  private readonly timeouts: PoolTimeouts

  constructor(
    private readonly deps: PoolDeps,
    timeouts: Partial<PoolTimeouts> = {},
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts }
  }

  async get(kind: Kind, alias: string): Promise<Backend> {
    const loaded = this.deps.settings.alias(kind, alias)
    if (!loaded) {
      throw new BackplaneError(ErrorCode.E_ALIAS_NOT_FOUND, `No ${kind} alias "${alias}" is configured.`, {
        hint: `Add it under "${SECTION_OF[kind]}" in Settings.`,
      })
    }
    const key = `${kind}:${alias}`
    const fingerprint = JSON.stringify(loaded.entry)
    const current = this.slots.get(key)
    if (current && current.fingerprint === fingerprint) return current.tracked
    if (current) void this.retire(current)
    const custom = !this.deps.registry.isBuiltin(kind, loaded.entry.engine)
    const slot = new Slot(key, `${kind} alias "${alias}"`, fingerprint, this.build(kind, alias, loaded.entry), custom, (s, b) => this.track(s, b))
    this.slots.set(key, slot)
    slot.backend.catch(() => {
      // A failed build is not cached: the next call tries again (the server may be up by then).
      if (this.slots.get(key) === slot) this.slots.delete(key)
    })
    return slot.tracked
  }

  /** Builds a backend that is not kept: the settings form's "Test" on values not saved yet. */
  async build(kind: Kind, alias: string, entry: AliasEntry): Promise<Backend> {
    const engine = await this.deps.registry.resolve(kind, entry.engine, this.deps.dataDir)
    const options = await this.parseOptions(engine, kind, alias, entry)
    const created = Promise.resolve().then(() => engine.create(options, this.context(kind, alias, entry.engine)))
    if (!engine.custom) return created
    return withTimeout(created, this.timeouts.customCallMs, `Creating the ${kind} alias "${alias}" (custom engine ${engine.id})`, 'The engine\'s constructor or create() does not finish; its author can tell why.', (late) => void late.close().catch(() => undefined))
  }

  async parseOptions(engine: EngineDefinition, kind: Kind, alias: string, entry: AliasEntry): Promise<unknown> {
    const where = `${kind} alias "${alias}"`
    const resolved = await resolveSecrets(entry.options ?? {}, this.deps.secrets, where)
    let parsed: ReturnType<EngineDefinition['options']['safeParse']>
    try {
      parsed = engine.options.safeParse(resolved)
    } catch (err) {
      // A custom engine's options schema that throws instead of answering: the engine's fault.
      throw new BackplaneError(ErrorCode.E_ENGINE_FAILED, `The options schema of ${engine.id} failed: ${toBackplaneError(err).message}`, { hint: 'The engine module declares options that cannot be checked; its author can tell why.' })
    }
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
   * Retires an alias's live backend so the next use builds it anew: for a changed secret, which the
   * settings entry (and so the fingerprint) does not show, since it holds only the secret's reference.
   * Returns at once; the old backend drains on its own.
   */
  forget(kind: Kind, alias: string): void {
    const slot = this.slots.get(`${kind}:${alias}`)
    if (slot) this.retire(slot)
  }

  /** Retires backends whose alias was removed, changed or became invalid, so no stale connection lingers; does not wait for the drains. */
  refresh(): void {
    // An alias that no longer validates (its module changed or was untrusted) loses its live backend too.
    const current = new Map(this.deps.settings.snapshot.aliases.filter((a) => a.valid).map((a) => [`${a.kind}:${a.name}`, JSON.stringify(a.entry)]))
    for (const slot of [...this.slots.values()]) if (current.get(slot.key) !== slot.fingerprint) this.retire(slot)
  }

  /** Closes everything: running calls get a short drain (shutdown should not wait long). */
  async closeAll(): Promise<void> {
    for (const slot of [...this.slots.values()]) this.retire(slot, Math.min(this.timeouts.drainMs, 2000))
    await Promise.all([...this.retiring])
  }

  /** Takes a slot out of use at once; its running calls finish (up to the drain timeout), then it closes. */
  private retire(slot: Slot, drainMs = this.timeouts.drainMs): void {
    if (this.slots.get(slot.key) === slot) this.slots.delete(slot.key)
    if (slot.retired) return
    const done = slot
      .drain(drainMs)
      .then(async () => (await slot.backend).close())
      .catch((err: unknown) => this.deps.log.debug(`closing ${slot.key}: ${(err as Error).message}`))
      .finally(() => this.retiring.delete(done))
    this.retiring.add(done)
  }

  /** The backend as callers see it: every method call counted while it runs, and held to its engine's rules. */
  private track(slot: Slot, backend: Backend): Backend {
    const wrapped = new Map<PropertyKey, unknown>()
    return new Proxy(backend, {
      get: (target, prop) => {
        let value: unknown
        try {
          value = Reflect.get(target, prop, target)
        } catch (err) {
          // A getter of the engine's that throws: the engine's failure, with the alias named.
          if (slot.custom) noteCustomEngine(slot.label)
          throw this.blame(slot, err)
        }
        if (typeof value !== 'function' || prop === 'constructor') return value
        let wrapper = wrapped.get(prop)
        if (!wrapper) {
          wrapper = (...args: unknown[]) => this.call(slot, String(prop), () => (value as (...a: unknown[]) => unknown).apply(target, args), args.some((a) => a instanceof Readable))
          wrapped.set(prop, wrapper)
        }
        return wrapper
      },
    })
  }

  /** `streaming`: the call is given a stream (a storage write), so it lasts as long as the stream does and gets no call timeout. */
  private call(slot: Slot, method: string, run: () => unknown, streaming = false): unknown {
    if (slot.retired && method !== 'close') {
      throw new BackplaneError(ErrorCode.E_ALIAS_CHANGED, `The ${slot.label} was changed; this handle to its old backend is closed.`)
    }
    if (slot.custom) noteCustomEngine(slot.label)
    slot.begin()
    let result: unknown
    try {
      result = run()
    } catch (err) {
      slot.end()
      throw this.blame(slot, err)
    }
    if (!isThenable(result)) {
      slot.end()
      return result
    }
    let settled: Promise<unknown> = Promise.resolve(result).catch((err: unknown) => {
      throw this.blame(slot, err)
    })
    if (slot.custom && !streaming) settled = withTimeout(settled, this.timeouts.customCallMs, `${method}() of the ${slot.label}`, 'The custom engine does not answer; its author can tell why.')
    return Promise.race([settled, slot.stopped])
      .then((value) => {
        if (value instanceof Readable) slot.hold(value)
        return value
      })
      .finally(() => slot.end())
  }

  /** A custom engine's untyped failure is the engine's, not Backplane's (502, not 500), and so is a code only Backplane may use. */
  private blame(slot: Slot, err: unknown): unknown {
    if (!slot.custom) return err
    const error = toBackplaneError(err, ErrorCode.E_ENGINE_FAILED)
    // (toBackplaneError gives a BackplaneError back as it is; no instanceof on what the engine threw, which may be a Proxy.)
    if (error.code !== ErrorCode.E_ENGINE_FAILED || error === err) return asEngineError(error)
    return new BackplaneError(ErrorCode.E_ENGINE_FAILED, `The engine of the ${slot.label} failed: ${error.message}`, { cause: err })
  }

  private context(kind: Kind, alias: string, engine: string): EngineContext {
    return {
      kind,
      alias,
      engine,
      dataDir: this.deps.dataDir,
      log: this.deps.log.child(`${kind}:${alias}`),
      events: this.deps.events,
      backend: async <K extends Kind>(k: K, a: string): Promise<BackendOf<K>> => {
        const backend = await this.get(k, a)
        const missing = this.deps.registry.missingMethods(k, backend)
        if (missing.length) throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `The ${k} alias "${a}" is not a ${k} backend: it lacks ${missing.join(', ')}.`)
        return backend as BackendOf<K>
      },
      service: (name) => this.deps.services.get(name) as never,
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}
