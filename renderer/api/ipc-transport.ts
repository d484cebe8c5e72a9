import { ApiError } from './api-error'
import type { ConnectionStatus, Transport } from './transport'

/** What preload/index.ts puts on window (declared in preload/api.d.ts). */
export type BackplaneBridge = NonNullable<Window['backplane']>

const OPEN: ConnectionStatus = { state: 'open' }

/** Electron: the preload bridge is always connected; only the error shape needs normalising. */
export function createIpcTransport(bridge: BackplaneBridge): Transport {
  return {
    kind: 'ipc',
    async call(method, input) {
      try {
        return await bridge.call(method, input)
      } catch (error) {
        throw ApiError.from(error)
      }
    },
    subscribe: (listener) => bridge.subscribe(listener),
    status: () => OPEN,
    onStatus: () => () => {},
    reconnectNow: () => {},
    close: () => {},
  }
}
