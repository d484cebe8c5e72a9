import { ErrorCode, type EventName, type EventPayload, type MethodInput, type MethodName, type MethodOutput } from '../../main/api/contract'
import { ApiError } from './api-error'
import { createIpcTransport } from './ipc-transport'
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
   * iframe's src. Same-origin in both hosts; in serve mode the session cookie goes with it.
   */
  documentUrl(path: string, query?: Record<string, string>): string
}

export function createApiClient(transport: Transport): ApiClient {
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
 * Picks the transport for where the page runs: Electron's preload bridge, or serve mode's WebSocket,
 * which the session cookie signs in (the server set it when the page was opened with `?token=`).
 * Null when the server says this browser is not signed in, which the app answers with a screen
 * saying which URL to open. A server that does not answer yet gets a client all the same: the
 * socket reconnects, and a refused session shows then.
 */
export async function connectToHost(): Promise<ApiClient | null> {
  if (window.backplane) return createApiClient(createIpcTransport(window.backplane))
  if (!(await isSignedIn())) return null
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  const transport = createSocketTransport({
    url: `${scheme}://${window.location.host}/events`,
    isTokenRefused: async () => (await fetch('/rpc/system.ping', { method: 'POST', body: '{}' })).status === 401,
  })
  return createApiClient(transport)
}

async function isSignedIn(): Promise<boolean> {
  try {
    const response = await fetch('/session', { cache: 'no-store' })
    return !response.ok || ((await response.json()) as { signedIn?: boolean }).signedIn !== false
  } catch {
    return true
  }
}

/** Serve mode: ends this browser's session on the server, so the page needs the token again. */
export async function signOut(): Promise<void> {
  const response = await fetch('/session/sign-out', { method: 'POST' })
  if (!response.ok) throw new ApiError({ code: ErrorCode.E_CLIENT, message: `Signing out failed (HTTP ${response.status}).`, hint: 'Is Backplane still running? Try again.' })
}
