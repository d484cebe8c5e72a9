import { isStorage, normalizeName, type Storage } from '../../backends/storage'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { summarize, topNames } from '../../services/storage-transfers'
import type { AppServices } from '../app-services'
import type { HandlerGroup } from '../router'
import { backendOf } from './backend-of'

type StorageMethod =
  | 'storage.list'
  | 'storage.stat'
  | 'storage.features'
  | 'storage.summarize'
  | 'storage.makeFolder'
  | 'storage.move'
  | 'storage.delete'
  | 'storage.url'
  | 'storage.djangoName'
  | 'storage.startTransfer'
  | 'storage.transfers'
  | 'storage.cancelTransfer'
  | 'storage.clearTransfers'

const storageOf = (app: AppServices, alias: string): Promise<Storage> => backendOf(app, 'storage', alias, isStorage)

// Bytes never pass here: files stream over the storage routes (services/storage-transfers/storage-http.ts).
export const storageHandlers: HandlerGroup<StorageMethod> = {
  'storage.list': async ({ alias, path, cursor, limit, contains }, { app }) => (await storageOf(app, alias)).list(path, { cursor, limit, contains }),
  'storage.stat': async ({ alias, name }, { app }) => {
    const storage = await storageOf(app, alias)
    const entry = await storage.stat(name)
    return {
      ...entry,
      url: entry.type === 'file' ? storage.url(entry.name) : null,
      localPath: storage.features.localPath ? await storage.path(entry.name) : null,
    }
  },
  'storage.features': async ({ alias }, { app }) => {
    const { localPath, presignedUrls, folders } = (await storageOf(app, alias)).features
    return { localPath, presignedUrls, folders }
  },
  'storage.summarize': async ({ alias, names, limit }, { app }) => {
    // Entries no name can address are left out of the count (the walk skips them, as a copy does).
    const { files, folders, bytes, truncated } = await summarize(await storageOf(app, alias), topNames(names), limit)
    return { files, folders, bytes, truncated }
  },
  'storage.makeFolder': async ({ alias, name }, { app }) => {
    await (await storageOf(app, alias)).makeFolder(name)
    return { name: normalizeName(name) }
  },
  'storage.move': async ({ alias, from, to, conflict }, { app }) => {
    await (await storageOf(app, alias)).move(from, to, { overwrite: conflict === 'overwrite' })
    return { name: normalizeName(to) }
  },
  'storage.delete': async ({ alias, names }, { app }) => {
    const storage = await storageOf(app, alias)
    let deleted = 0
    for (const name of topNames(names)) {
      if (!(await storage.exists(name))) continue
      await storage.delete(name)
      deleted++
    }
    return { deleted }
  },
  'storage.url': async ({ alias, name, presign, expiresInSeconds }, { app }) => {
    const storage = await storageOf(app, alias)
    if (!presign) return { url: storage.url(normalizeName(name)), expiresAt: null }
    if (!storage.features.presignedUrls) {
      throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `The storage alias "${alias}" has no presigned URLs (its engine serves files only through Backplane).`, {
        hint: 'Presigned URLs come from S3-compatible aliases; download the file here instead, or set baseUrl for its public URL.',
      })
    }
    const url = await storage.presignedUrl(name, { expiresInSeconds })
    return { url, expiresAt: url === null ? null : new Date(Date.now() + expiresInSeconds * 1000).toISOString() }
  },
  'storage.djangoName': async ({ alias, name, maxLength }, { app }) => {
    const storage = await storageOf(app, alias)
    const generated = storage.generateFilename(name)
    return { generated, available: await storage.getAvailableName(generated, maxLength) }
  },
  // A mistyped alias or name, a folder into itself, two names onto one: an answer now (startCopy checks),
  // not a transfer that fails in the panel.
  'storage.startTransfer': ({ kind, from, to, conflict }, { app }) => app.storageTransfers.startCopy({ kind, from, to, conflict }),
  'storage.transfers': (_input, { app }) => app.storageTransfers.list(),
  'storage.cancelTransfer': ({ id }, { app }) => ({ cancelled: app.storageTransfers.cancel(id) }),
  'storage.clearTransfers': (_input, { app }) => ({ cleared: app.storageTransfers.clear() }),
}
