import type { z } from 'zod'
import { authMethods } from './auth'
import { cacheMethods } from './cache'
import { dataMethods } from './data'
import { dataConsoleMethods } from './data-console'
import { engineMethods } from './engines'
import { healthMethods } from './health'
import { mailMethods } from './mail'
import { outboxMethods } from './outbox'
import { settingsMethods } from './settings'
import { sshMethods } from './ssh'
import { storageMethods } from './storage'
import { systemMethods } from './system'

/**
 * The one API. Every host (Electron IPC, loopback HTTP and WebSocket, the CLI) dispatches into it,
 * and the renderer's typed client is generated from it. This folder is the only part of main/ the
 * renderer may import, so it holds zod schemas and nothing that needs Node.
 */
export const methods = {
  ...systemMethods,
  ...settingsMethods,
  ...engineMethods,
  ...healthMethods,
  ...mailMethods,
  ...outboxMethods,
  ...dataMethods,
  ...dataConsoleMethods,
  ...sshMethods,
  ...cacheMethods,
  ...authMethods,
  ...storageMethods,
}

export type Methods = typeof methods
export type MethodName = keyof Methods
/** What a caller passes (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>
/** What a handler receives (parsed, defaults applied). */
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>

export * from '../../core/schemas'
export * from './events'
export { AliasView, EngineView, SettingsView, AliasDraft } from './settings'
export { TrustedModuleView } from './engines'
export { SecretStoreInfo } from './system'
export { EmailMessageInput, SendTraceView } from './mail'
export { MessageSummaryView, MessageDetailView, CaptureStatusView, MailboxCounts, OutboxSettingsView } from './outbox'
export { QueryResultView } from './data'
export { CacheEntryView, CacheEntryDetailView, CacheStatsView, WorkloadResultView } from './cache'
export { StorageEntryView } from './storage'
export { AuthUserView, AuthUserDetailView, AuthGroupView, AuthPermissionView, ChainAttemptView, HashInspectionView, PasswordProblemView, AuditEntryView, ThrottleLockView } from './auth'
