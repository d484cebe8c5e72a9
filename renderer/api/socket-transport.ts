import { ApiError, DISCONNECTED } from './api-error'
import type { ConnectionStatus, EventListener, Transport } from './transport'
import { ErrorCode } from '../../main/api/contract'

interface PendingCall {
  resolve(value: unknown): void
  reject(error: ApiError): void
  /** The frame, kept until the socket is open (calls made while connecting wait for it). */
  frame: string
  sent: boolean
}

interface SocketTransportOptions {
  /** ws(s)://host/events (the session cookie goes with it) */
  url: string
  /** Asked when the socket will not open, to tell a refused token from a server that is down. */
  isTokenRefused?: () => Promise<boolean>
  /** Backoff bounds in ms; tests shorten them. */
  minDelay?: number
  maxDelay?: number
}

/**
 * Serve mode: one WebSocket carries both the calls (`{id, method, input}` → `{id, result|error}`)
 * and the pushed events. It reconnects with exponential backoff; whatever was in flight when the
 * socket dropped is rejected with E_DISCONNECTED rather than left hanging, because the server
 * forgets a call whose socket closed and no answer will ever come.
 */
export function createSocketTransport(options: SocketTransportOptions): Transport {
  const minDelay = options.minDelay ?? 500
  const maxDelay = options.maxDelay ?? 10_000
  const pending = new Map<number, PendingCall>()
  const listeners = new Set<EventListener>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  let status: ConnectionStatus = { state: 'connecting' }
  let socket: WebSocket | undefined
  let nextId = 1
  let attempt = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let closed = false

  const setStatus = (next: ConnectionStatus) => {
    status = next
    for (const listener of statusListeners) listener(next)
  }

  const rejectAll = (message: string) => {
    const error = new ApiError({ code: DISCONNECTED, message, hint: 'Backplane reconnects by itself; try again in a moment.' })
    for (const call of pending.values()) call.reject(error)
    pending.clear()
  }

  const connect = () => {
    if (closed) return
    retryTimer = undefined
    setStatus({ state: status.state === 'connecting' ? 'connecting' : 'reconnecting' })
    const ws = new WebSocket(options.url)
    socket = ws
    let opened = false
    ws.onopen = () => {
      opened = true
      attempt = 0
      setStatus({ state: 'open' })
      for (const call of pending.values()) {
        if (!call.sent) {
          ws.send(call.frame)
          call.sent = true
        }
      }
    }
    ws.onmessage = (message) => receive(message.data)
    ws.onclose = () => {
      if (socket !== ws) return
      socket = undefined
      rejectAll(opened ? 'The connection to Backplane was lost.' : 'Backplane is not reachable.')
      if (!closed) void scheduleReconnect(opened)
    }
  }

  const scheduleReconnect = async (wasOpen: boolean) => {
    // A socket that never opened may have been refused at the upgrade (401): the browser hides the
    // status code, so ask over plain HTTP once before retrying forever with a dead token.
    if (!wasOpen && options.isTokenRefused && (await options.isTokenRefused().catch(() => false))) {
      setStatus({ state: 'unauthorized' })
      return
    }
    const delay = Math.min(maxDelay, minDelay * 2 ** attempt) * (0.8 + Math.random() * 0.4)
    attempt += 1
    setStatus({ state: 'lost', retryAt: Date.now() + delay })
    retryTimer = setTimeout(connect, delay)
  }

  const receive = (data: unknown) => {
    if (typeof data !== 'string') return
    let frame: { id?: unknown; result?: unknown; error?: unknown; event?: unknown; payload?: unknown }
    try {
      frame = JSON.parse(data) as typeof frame
    } catch {
      return
    }
    if (typeof frame.event === 'string') {
      for (const listener of listeners) listener(frame.event, frame.payload)
      return
    }
    if (typeof frame.id !== 'number') return
    const call = pending.get(frame.id)
    if (!call) return
    pending.delete(frame.id)
    if (frame.error) call.reject(ApiError.from(frame.error))
    else call.resolve(frame.result)
  }

  connect()

  return {
    kind: 'socket',
    call(method, input) {
      if (status.state === 'unauthorized') {
        return Promise.reject(new ApiError({ code: ErrorCode.E_UNAUTHORIZED, message: 'The server refused the token.', hint: 'Open the URL that `backplane serve` printed.' }))
      }
      return new Promise((resolve, reject) => {
        const id = nextId++
        const frame = JSON.stringify({ id, method, input: input ?? {} })
        const call: PendingCall = { resolve, reject, frame, sent: false }
        pending.set(id, call)
        if (socket?.readyState === WebSocket.OPEN) {
          socket.send(frame)
          call.sent = true
        } else if (status.state === 'lost') {
          // Between attempts nothing will carry the call: fail now instead of waiting for the backoff.
          pending.delete(id)
          reject(new ApiError({ code: DISCONNECTED, message: 'Not connected to Backplane.', hint: 'Backplane reconnects by itself; try again in a moment.' }))
        }
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    reconnectNow() {
      if (status.state !== 'lost') return
      clearTimeout(retryTimer)
      connect()
    },
    close() {
      closed = true
      clearTimeout(retryTimer)
      socket?.close()
      rejectAll('The client was closed.')
    },
  }
}
