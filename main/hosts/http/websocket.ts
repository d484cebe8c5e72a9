import type { WebSocket } from 'ws'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'
import type { App } from '../../api/app'
import { assertJsonTextDepth, MAX_INPUT_DEPTH } from '../../api/input-shape'
import { subscribeOutgoing } from '../../api/outgoing-events'

/** A call frame from the client: `{ "id": 1, "method": "cache.get", "input": {…} }`. */
interface CallFrame {
  id: number | string
  method: string
  input?: unknown
}

const MAX_FRAME = 16 * 1024 * 1024

/**
 * One socket carries both directions: the client's calls (answered `{ id, result }` or
 * `{ id, error }`) and every event the main process emits (`{ event, payload }`).
 */
export function serveSocket(socket: WebSocket, app: App, source: string): void {
  const unsubscribe = subscribeOutgoing(app, (event, payload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }))
  })
  socket.on('close', unsubscribe)
  socket.on('error', unsubscribe)
  socket.on('message', (data, isBinary) => {
    // answer() sends every failure back as a frame; this is for a failure to send at all.
    answer(socket, app, source, data as Buffer, isBinary).catch((err: unknown) => {
      app.log.error(`A WebSocket call could not be answered: ${(err as Error)?.stack ?? String(err)}`)
      socket.terminate()
    })
  })
}

async function answer(socket: WebSocket, app: App, source: string, data: Buffer, isBinary: boolean): Promise<void> {
  let frame: CallFrame
  try {
    if (isBinary || data.length > MAX_FRAME) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'Frames must be JSON text.')
    frame = parseFrame(data.toString('utf8'))
  } catch (err) {
    send(socket, { id: (err as { frameId?: number | string }).frameId ?? null, error: toBackplaneError(err).toPayload() })
    return
  }
  try {
    const result = await app.router.dispatch(frame.method, frame.input, { app, via: 'ws', source })
    send(socket, { id: frame.id, result })
  } catch (err) {
    send(socket, { id: frame.id, error: toBackplaneError(err).toPayload() })
  }
}

/** The id of a frame refused before it was parsed (too deep), when it leads the frame as our client writes it. */
function leadingId(text: string): number | string | null {
  const match = /^\s*\{\s*"id"\s*:\s*(-?\d{1,15}|"[^"\\]{0,100}")\s*[,}]/.exec(text.slice(0, 200))
  if (!match) return null
  return match[1]!.startsWith('"') ? match[1]!.slice(1, -1) : Number(match[1])
}

function parseFrame(text: string): CallFrame {
  let value: unknown
  try {
    // The frame wraps the input one level deeper than the input itself.
    assertJsonTextDepth(text, MAX_INPUT_DEPTH, 1)
  } catch (err) {
    // Refused unparsed: the answer still names the call when the frame starts with its id.
    throw Object.assign(err as Error, { frameId: leadingId(text) })
  }
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_INVALID_JSON, `The frame is not valid JSON: ${(err as Error).message}`)
  }
  const frame = value as Partial<CallFrame>
  if (typeof frame !== 'object' || frame === null || typeof frame.method !== 'string' || (typeof frame.id !== 'number' && typeof frame.id !== 'string')) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'A call frame is {"id": number|string, "method": string, "input"?: any}.')
  }
  return frame as CallFrame
}

function send(socket: WebSocket, message: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
}
