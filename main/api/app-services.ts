import type { EngineRegistry } from '../core/engine-registry'
import type { EngineModule } from '../core/engine-module'
import type { TrustStore } from '../core/engine-trust'
import type { EventBus } from '../core/events'
import type { Logger } from '../core/log'
import type { SecretStore } from '../core/secrets/secret-store'
import type { SettingsStore } from '../core/settings/settings-store'
import type { AliasEditor } from '../services/alias-editor'
import type { BackendPool } from '../services/backend-pool'
import type { HealthMonitor } from '../services/health-monitor'
import type { OutboxStore } from '../services/outbox/outbox-store'
import type { ConsoleStore } from '../services/data-console/console-store'
import type { CaptureServer } from '../services/mail-capture/capture-server'
import type { OutboxSettings } from '../services/mail-capture/outbox-settings'
import type { WorkloadRuns } from '../services/cache-workload'
import type { LoginService } from '../services/auth-login'
import type { StorageTransfers } from '../services/storage-transfers'

export type HostKind = 'electron' | 'serve' | 'cli'

/** Asks the person at the computer, outside the renderer's reach, whether this exact module may run. */
export type TrustPrompt = (request: { kind: string; module: EngineModule }) => Promise<boolean>
/** Where to save an export, asked of the person at the computer (the desktop app's save dialog); undefined when they cancel. */
export type SavePrompt = (request: { suggestedName: string; format: 'csv' | 'jsonl' }) => Promise<string | undefined>

/** What handlers may use of the running app; App implements it (kept apart so handlers never import App). */
export interface AppServices {
  readonly version: string
  readonly host: HostKind
  readonly dataDir: string
  readonly log: Logger
  readonly events: EventBus
  readonly secrets: SecretStore
  readonly registry: EngineRegistry
  readonly trust: TrustStore
  /** Only the desktop host has one. */
  readonly trustPrompt: TrustPrompt | undefined
  /** Only the desktop app has one: serve mode downloads exports over HTTP instead. */
  readonly savePrompt: SavePrompt | undefined
  readonly settings: SettingsStore
  readonly pool: BackendPool
  readonly health: HealthMonitor
  readonly editor: AliasEditor
  readonly outbox: OutboxStore
  readonly capture: CaptureServer
  /** The SQL console's history and saved queries. */
  readonly dataConsole: ConsoleStore
  /** The cache workload runs going on, stopped when the app closes. */
  readonly workloads: WorkloadRuns
  /** Logins through the auth chain, with their throttle and audit log. */
  readonly authLogin: LoginService
  /** Uploads, downloads, zips, and copies and moves between aliases, with their progress and cancel. */
  readonly storageTransfers: StorageTransfers
  /** services.outbox from settings, defaults filled in. */
  outboxSettings(): OutboxSettings
  /** After any change to settings: drop stale backends, forget removed aliases, tell the GUI, re-check. */
  settingsChanged(): Promise<void>
  /** After the trust list changed: validate the aliases again, so one naming a newly trusted module loads. */
  trustChanged(): Promise<void>
}
