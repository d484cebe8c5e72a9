import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { BackplaneBridge } from './api'

// Only call() and subscribe() cross into the page; ipcRenderer itself never does.
const bridge: BackplaneBridge = {
  async call(method, input) {
    const answer = (await ipcRenderer.invoke('backplane:call', method, input)) as
      | { ok: true; result: unknown }
      | { ok: false; error: { code: string; message: string; hint?: string; details?: unknown } }
    if (answer.ok) return answer.result
    throw Object.assign(new Error(answer.error.message), answer.error)
  },
  subscribe(listener) {
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload)
    ipcRenderer.on('backplane:event', handler)
    return () => {
      ipcRenderer.off('backplane:event', handler)
    }
  },
}

contextBridge.exposeInMainWorld('backplane', bridge)
