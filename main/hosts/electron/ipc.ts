import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { BackplaneError, toBackplaneError, ErrorCode } from '../../core/errors'
import type { App } from '../../api/app'
import { subscribeOutgoing } from '../../api/outgoing-events'
import { APP_ORIGIN } from './app-protocol'

export const CALL_CHANNEL = 'backplane:call'
export const EVENT_CHANNEL = 'backplane:event'

/**
 * The router on one IPC channel. Only the app's own page may call it (Electron's checklist: validate
 * the sender of every IPC message). Answers are envelopes, because ipcMain.handle would strip a thrown
 * error down to its message.
 */
export function mountIpc(app: App): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    try {
      assertTrustedSender(event)
      if (typeof method !== 'string') throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The method name must be a string.')
      return { ok: true, result: await app.router.dispatch(method, input, { app, via: 'ipc' }) }
    } catch (err) {
      return { ok: false, error: toBackplaneError(err).toPayload() }
    }
  })
  const unsubscribe = subscribeOutgoing(app, (name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, name, payload)
    }
  })
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL)
    unsubscribe()
  }
}

function assertTrustedSender(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url ?? ''
  if (!url.startsWith(`${APP_ORIGIN}/`)) {
    throw new BackplaneError(ErrorCode.E_FORBIDDEN, 'IPC from a page that is not Backplane was refused.')
  }
}
