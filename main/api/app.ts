import { watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'
import { platformDataDir, resolveDataDir } from '../core/data-dir'
import { shellQuote, TRUST_FILE, TrustStore } from '../core/engine-trust'
import { EventBus } from '../core/events'
import { createLogger, type Logger } from '../core/log'
import { chooseSecretStore } from '../core/secrets/choose-secret-store'
import type { Cipher, SecretStore } from '../core/secrets/secret-store'
import { SettingsStore } from '../core/settings/settings-store'
import type { EngineRegistry } from '../core/engine-registry'
import { createEngineRegistry } from '../backends'
import { AliasEditor } from '../services/alias-editor'
import { createAliasValidator } from '../services/alias-validator'
import { BackendPool, type PoolTimeouts } from '../services/backend-pool'
import { sdkEntryUrl } from '../sdk/location'
import { HealthMonitor } from '../services/health-monitor'
import { OutboxStore } from '../services/outbox/outbox-store'
import { CONSOLE_FILE, ConsoleStore } from '../services/data-console/console-store'
import { CaptureServer } from '../services/mail-capture/capture-server'
import { readOutboxSettings, type OutboxSettings } from '../services/mail-capture/outbox-settings'
import type { MethodName, MethodOutput, MethodInput } from './contract'
import { handlers } from './handlers'
import { createRouter, type CallContext, type Router } from './router'
import { version } from '../../package.json'
import type { AppServices, HostKind, SavePrompt, TrustPrompt } from './app-services'
import { WorkloadRuns } from '../services/cache-workload'
import { LoginService } from '../services/auth-login'
import { StorageTransfers, storageHttp, type StorageHttpRequest, type StorageHttpResponse } from '../services/storage-transfers'
import { isStorage } from '../backends/storage'
import { backendOf } from './handlers/backend-of'

export type { HostKind, SavePrompt, TrustPrompt } from './app-services'

export interface AppOptions {
  host: HostKind
  /** The host's idea of the data directory (Electron's userData); BACKPLANE_HOME wins over it. */
  dataDir?: string
  /** Electron's safeStorage, when the host has it. */
  hostCipher?: Cipher
  log?: Logger
  /** Long-running hosts watch settings and check health on an interval; the CLI does neither. */
  background?: boolean
  healthIntervalMs?: number
  /** Overrides the capture server's port for this run (`--smtp-port`); 0 picks a free one. */
  smtpPort?: number
  /** The desktop host asks the user, in a main-process dialog, whether to trust an engine module. */
  trustPrompt?: TrustPrompt
  savePrompt?: SavePrompt
  /** Timeouts for custom engines and for draining a changed alias (tests shorten them). */
  poolTimeouts?: Partial<PoolTimeouts>
  /** A health check, or the settings form's Test, that takes longer is reported down (default 10 s). */
  checkTimeoutMs?: number
  /** An upload over the storage routes that sends nothing for this long is cut off with 408 (default 30 s; tests shorten it). */
  uploadIdleMs?: number
}

const RETENTION_INTERVAL_MS = 60_000

/**
 * Everything a host needs, wired once: settings and secrets, the engine registry, live backends,
 * health, the outbox, and the router over them. Hosts only translate their transport into
 * `app.call()`.
 */
export class App implements AppServices {
  readonly version = version
  readonly router: Router
  readonly trustPrompt: TrustPrompt | undefined
  readonly savePrompt: SavePrompt | undefined
  readonly dataConsole: ConsoleStore
  readonly workloads: WorkloadRuns
  readonly authLogin: LoginService
  readonly storageTransfers: StorageTransfers
  /** The storage routes (GET/PUT of files, zips), for whichever host serves them: HTTP, or Electron's app://. */
  readonly storageHttp: (request: StorageHttpRequest) => Promise<StorageHttpResponse>
  private retentionTimer: NodeJS.Timeout | undefined
  private trustWatcher: FSWatcher | undefined
  private trustTimer: NodeJS.Timeout | undefined

  private constructor(
    readonly host: HostKind,
    readonly dataDir: string,
    readonly log: Logger,
    readonly events: EventBus,
    readonly secrets: SecretStore,
    readonly registry: EngineRegistry,
    readonly trust: TrustStore,
    readonly settings: SettingsStore,
    readonly pool: BackendPool,
    readonly health: HealthMonitor,
    readonly editor: AliasEditor,
    readonly outbox: OutboxStore,
    readonly capture: CaptureServer,
    private readonly options: AppOptions,
  ) {
    this.router = createRouter(handlers, log.child('api'))
    this.trustPrompt = options.trustPrompt
    this.savePrompt = options.savePrompt
    this.dataConsole = new ConsoleStore(join(dataDir, CONSOLE_FILE), log.child('data-console'))
    this.workloads = new WorkloadRuns(log.child('cache-workload'))
    this.authLogin = new LoginService(dataDir, log.child('auth-login'))
    const storageOf = (alias: string) => backendOf(this, 'storage', alias, isStorage)
    this.storageTransfers = new StorageTransfers({ events, log: log.child('storage-transfers'), storageOf })
    this.storageHttp = storageHttp({ storageOf, transfers: this.storageTransfers, ...(options.uploadIdleMs !== undefined ? { uploadIdleMs: options.uploadIdleMs } : {}) })
  }

  static async open(options: AppOptions): Promise<App> {
    const dataDir = resolveDataDir(options.dataDir)
    const log = options.log ?? createLogger()
    const events = new EventBus()
    const secrets = chooseSecretStore(dataDir, options.hostCipher)
    const trust = new TrustStore(dataDir, trustCommand(dataDir))
    const registry = createEngineRegistry({ trust, sdkUrl: sdkEntryUrl(), log: log.child('engines') })
    const settings = new SettingsStore(join(dataDir, 'settings.json'), createAliasValidator(registry, secrets, dataDir), (doc) => readOutboxSettings(doc).problems)
    await settings.load()
    const outbox = new OutboxStore(join(dataDir, 'outbox.sqlite3'), events, log.child('outbox'))
    const pool = new BackendPool({ registry, settings, secrets, dataDir, log, events, services: new Map([['outbox', outbox]]) }, options.poolTimeouts)
    const checkTimeoutMs = options.checkTimeoutMs ?? 10_000
    const health = new HealthMonitor(pool, settings, events, { intervalMs: options.healthIntervalMs ?? 30_000, timeoutMs: checkTimeoutMs })
    const editor = new AliasEditor(registry, settings, secrets, pool, dataDir, checkTimeoutMs)
    const capture = new CaptureServer(outbox, secrets, dataDir, events, log.child('smtp'))
    const app = new App(options.host, dataDir, log, events, secrets, registry, trust, settings, pool, health, editor, outbox, capture, options)
    if (secrets.warning && options.background) log.warn(secrets.warning)
    await app.applyOutboxSettings()
    if (options.background) {
      settings.watch(() => void app.settingsChanged())
      app.watchTrust()
      health.start()
      app.retentionTimer = setInterval(() => void app.applyRetention(), RETENTION_INTERVAL_MS)
      app.retentionTimer.unref()
    }
    return app
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>, via: CallContext['via'] = 'cli'): Promise<MethodOutput<M>> {
    return this.router.dispatch(method, input, { app: this, via }) as Promise<MethodOutput<M>>
  }

  outboxSettings(): OutboxSettings {
    return readOutboxSettings(this.settings.snapshot.doc).settings
  }

  /** Mailbox policy and retention always; the capture server only in long-running hosts. */
  async applyOutboxSettings(): Promise<void> {
    const settings = this.outboxSettings()
    this.outbox.setMailboxPolicy(settings.mailboxes)
    if (this.options.background) {
      await this.capture.apply(settings.smtp, this.options.smtpPort)
      void this.applyRetention()
    }
  }

  private async applyRetention(): Promise<void> {
    const { retention } = this.outboxSettings()
    try {
      await this.outbox.applyRetention({ maxMessages: retention.maxMessages, maxAgeMs: retention.maxAgeDays === null ? null : retention.maxAgeDays * 86_400_000 })
    } catch (err) {
      this.log.warn(`outbox retention: ${(err as Error).message}`)
    }
  }

  /**
   * Trusting a module (from the command line, in another process) takes effect here without a restart:
   * the aliases are validated again, and the one that named it loads.
   */
  private watchTrust(): void {
    this.trustWatcher = watch(this.dataDir, (_event, name) => {
      if (name !== TRUST_FILE) return
      clearTimeout(this.trustTimer)
      this.trustTimer = setTimeout(() => void this.trustChanged(), 150)
    })
    this.trustWatcher.unref()
  }

  async trustChanged(): Promise<void> {
    await this.settings.revalidate()
    await this.settingsChanged()
  }

  async settingsChanged(): Promise<void> {
    await this.applyOutboxSettings()
    this.pool.refresh()
    this.health.prune()
    const snapshot = this.settings.snapshot
    this.events.emit('settings.changed', { status: snapshot.status, issues: snapshot.issues.length })
    void this.health.checkAll()
  }

  async close(): Promise<void> {
    // A workload would otherwise go on against closed backends until its deadline (up to 300 s).
    this.workloads.cancelAll()
    // Likewise a transfer; cancelled, each removes what it was writing before its backend closes.
    this.storageTransfers.close()
    clearInterval(this.retentionTimer)
    clearTimeout(this.trustTimer)
    this.trustWatcher?.close()
    await this.capture.stop()
    this.health.stop()
    this.settings.close()
    await this.pool.closeAll()
    await this.outbox.close()
    await this.authLogin.close()
  }
}

/**
 * The command that trusts a module for this data directory, to paste as it is: with --home unless the
 * data directory is the one a plain `npx backplane` finds (the desktop app's is not; a BACKPLANE_HOME
 * set for this process may not be set in the user's shell).
 */
function trustCommand(dataDir: string): (spec: string) => string {
  return (spec) => `npx backplane engines trust ${shellQuote(spec)}${dataDir === platformDataDir() ? '' : ` --home ${shellQuote(dataDir)}`}`
}
