/**
 * The renderer's one way to the main process. Two implementations: Electron's preload bridge and
 * serve mode's WebSocket; the typed client above them does not know which it has.
 */
export type ConnectionState =
  /** The first connection attempt. */
  | 'connecting'
  /** A later attempt, after the connection was lost. */
  | 'reconnecting'
  | 'open'
  /** The connection dropped; `retryAt` says when the next attempt starts. */
  | 'lost'
  /** The server refused the token (restarted with another one): reconnecting will not help. */
  | 'unauthorized'

export interface ConnectionStatus {
  state: ConnectionState
  /** Epoch milliseconds of the next reconnect attempt while `lost`. */
  retryAt?: number
}

export type EventListener = (event: string, payload: unknown) => void

export interface Transport {
  readonly kind: 'ipc' | 'socket'
  /** Resolves with the method's result or rejects with an ApiError. */
  call(method: string, input: unknown): Promise<unknown>
  /** Every event the main process pushes; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void
  status(): ConnectionStatus
  onStatus(listener: (status: ConnectionStatus) => void): () => void
  /** Skips the backoff wait and tries to reconnect now (no-op where there is nothing to reconnect). */
  reconnectNow(): void
  close(): void
}
