import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../main/api/contract'
import { ApiError } from './api-error'
import { createIpcTransport } from './ipc-transport'
import { takeServeToken } from './serve-token'
import { createSocketTransport } from './socket-transport'
import type { Transport } from './transport'

export { ApiError } from './api-error'
export type { ConnectionStatus, ConnectionState } from './transport'

/** The renderer's one client: typed by the contract, the same over IPC and WebSocket. */
export interface ApiClient {
  readonly transport: Transport
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void
  /**
   * A URL for a document the host serves itself (captured mail HTML at `/mail-html/<id>`), for an
   * iframe's src. Same-origin in both hosts; serve mode also needs the token in the query, since an
   * iframe cannot send an Authorization header.
   */
  documentUrl(path: string, query?: Record<string, string>): string
}

export function createApiClient(transport: Transport, token: string | null): ApiClient {
  return {
    transport,
    async call(method, input) {
      try {
        // The router validated the output against the contract before sending it.
        return (await transport.call(method, input)) as MethodOutput<typeof method>
      } catch (error) {
        throw ApiError.from(error)
      }
    },
    on(event, handler) {
      return transport.subscribe((name, payload) => {
        if (name === event) handler(payload as EventPayload<typeof event>)
      })
    },
    documentUrl(path, query = {}) {
      const params = new URLSearchParams(query)
      if (transport.kind === 'socket' && token) params.set('token', token)
      const search = params.toString()
      return `${new URL(path, window.location.origin).pathname}${search ? `?${search}` : ''}`
    },
  }
}

/** The URL of a captured message's HTML, for the viewer's sandboxed iframe. */
export function mailHtmlUrl(client: ApiClient, id: number, allowRemote = false): string {
  return client.documentUrl(`/mail-html/${id}`, allowRemote ? { remote: '1' } : {})
}

/**
 * Picks the transport for where the page runs: Electron's preload bridge, or serve mode's WebSocket
 * with the token from the address bar. Null when neither is there (the page was opened without
 * the token), which the app answers with a screen saying which URL to open.
 */
export function connectToHost(): ApiClient | null {
  if (window.backplane) return createApiClient(createIpcTransport(window.backplane), null)
  const token = takeServeToken()
  if (!token) return null
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  const transport = createSocketTransport({
    url: `${scheme}://${window.location.host}/events?token=${encodeURIComponent(token)}`,
    isTokenRefused: async () => {
      const response = await fetch('/rpc/system.ping', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{}' })
      return response.status === 401
    },
  })
  return createApiClient(transport, token)
}
