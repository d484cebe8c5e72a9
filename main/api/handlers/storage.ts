import { isStorage } from '../../backends/storage'
import type { HandlerGroup } from '../router'
import { backendOf } from './backend-of'

export const storageHandlers: HandlerGroup<'storage.list' | 'storage.read' | 'storage.save' | 'storage.delete'> = {
  'storage.list': async ({ alias, path, cursor, limit }, { app }) => (await backendOf(app, 'storage', alias, isStorage)).list(path, { cursor, limit }),
  'storage.read': async ({ alias, name, maxBytes }, { app }) => {
    const storage = await backendOf(app, 'storage', alias, isStorage)
    const info = await storage.stat(name)
    const chunks: Buffer[] = []
    let read = 0
    const stream = await storage.open(name)
    try {
      for await (const chunk of stream) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
        chunks.push(buf)
        read += buf.length
        if (read >= maxBytes) break
      }
    } finally {
      stream.destroy()
    }
    const content = Buffer.concat(chunks).subarray(0, maxBytes)
    return { name: info.name, size: info.size ?? read, contentBase64: content.toString('base64'), truncated: (info.size ?? read) > content.length }
  },
  'storage.save': async ({ alias, name, contentBase64 }, { app }) => {
    const storage = await backendOf(app, 'storage', alias, isStorage)
    return { name: await storage.save(name, Buffer.from(contentBase64, 'base64')) }
  },
  'storage.delete': async ({ alias, name }, { app }) => {
    await (await backendOf(app, 'storage', alias, isStorage)).delete(name)
    return { ok: true }
  },
}
