import { isCache } from '../../backends/cache'
import type { HandlerGroup } from '../router'
import { backendOf, capability } from './backend-of'

export const cacheHandlers: HandlerGroup<'cache.scan' | 'cache.get' | 'cache.set' | 'cache.delete' | 'cache.clear'> = {
  'cache.scan': async ({ alias, pattern, cursor, count }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    const page = await capability(cache.scan?.bind(cache), 'list its keys', alias)({ pattern, cursor, count })
    return { entries: page.entries.map((e) => ({ ...e, ...cache.describeKey?.(e.key) })), cursor: page.cursor }
  },
  'cache.get': async ({ alias, key, version }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    const value = await cache.get(key, version === undefined ? {} : { version })
    return value === undefined ? { found: false } : { found: true, value }
  },
  'cache.set': async ({ alias, key, value, timeout, version }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    await cache.set(key, value, { ...(timeout === undefined ? {} : { timeout }), ...(version === undefined ? {} : { version }) })
    return { ok: true }
  },
  'cache.delete': async ({ alias, key, version }, { app }) => {
    const cache = await backendOf(app, 'cache', alias, isCache)
    return { deleted: await cache.delete(key, version === undefined ? {} : { version }) }
  },
  'cache.clear': async ({ alias }, { app }) => {
    await (await backendOf(app, 'cache', alias, isCache)).clear()
    return { ok: true }
  },
}
