import type { Handlers } from '../router'
import { authHandlers } from './auth'
import { authAdminHandlers } from './auth-admin'
import { authPasswordHandlers } from './auth-passwords'
import { cacheHandlers } from './cache'
import { cacheWorkloadHandlers } from './cache-workload'
import { dataHandlers } from './data'
import { dataConsoleHandlers } from './data-console'
import { dataExportHandlers } from './data-export'
import { engineHandlers } from './engines'
import { healthHandlers } from './health'
import { mailHandlers } from './mail'
import { outboxHandlers } from './outbox'
import { settingsHandlers } from './settings'
import { sshHandlers } from './ssh'
import { storageHandlers } from './storage'
import { systemHandlers } from './system'

/** Every method of the contract, one handler each; the type makes a missing one a compile error. */
export const handlers: Handlers = {
  ...systemHandlers,
  ...settingsHandlers,
  ...engineHandlers,
  ...healthHandlers,
  ...mailHandlers,
  ...outboxHandlers,
  ...dataHandlers,
  ...dataConsoleHandlers,
  ...dataExportHandlers,
  ...sshHandlers,
  ...cacheHandlers,
  ...cacheWorkloadHandlers,
  ...authHandlers,
  ...authAdminHandlers,
  ...authPasswordHandlers,
  ...storageHandlers,
}
