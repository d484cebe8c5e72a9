import { redactDeep } from '../core/redact'
import { REDACTED_EVENTS, type EventName } from './contract'
import type { AppServices } from './app-services'

/**
 * Every event as it may leave the process (to the renderer over IPC, to a WebSocket client): the ones
 * that report on backends masked as the answers of `redact` methods are. Both hosts forward through here.
 */
export function subscribeOutgoing(app: Pick<AppServices, 'events'>, listener: (name: string, payload: unknown) => void): () => void {
  return app.events.onAny((name, payload) => listener(name, REDACTED_EVENTS.has(name as EventName) ? redactDeep(payload) : payload))
}
