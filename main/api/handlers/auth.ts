import { authenticateChain, isAuthBackend, type AuthBackend } from '../../backends/auth'
import type { HandlerGroup } from '../router'
import { backendOf, capability } from './backend-of'

export const authHandlers: HandlerGroup<'auth.authenticate' | 'auth.users' | 'auth.createUser' | 'auth.setPassword'> = {
  'auth.authenticate': async (credentials, { app }) => {
    const aliases = app.settings.snapshot.aliases.filter((a) => a.kind === 'auth' && a.valid)
    const chain: { alias: string; backend: AuthBackend }[] = []
    for (const a of aliases) chain.push({ alias: a.name, backend: await backendOf(app, 'auth', a.name, isAuthBackend) })
    return authenticateChain(chain, credentials)
  },
  'auth.users': async ({ alias, search, limit, offset }, { app }) => {
    const backend = await backendOf(app, 'auth', alias, isAuthBackend)
    return capability(backend.listUsers?.bind(backend), 'list users', alias)({ search, limit, offset })
  },
  'auth.createUser': async ({ alias, ...user }, { app }) => {
    const backend = await backendOf(app, 'auth', alias, isAuthBackend)
    return capability(backend.createUser?.bind(backend), 'create users', alias)(user)
  },
  'auth.setPassword': async ({ alias, username, password }, { app }) => {
    const backend = await backendOf(app, 'auth', alias, isAuthBackend)
    await capability(backend.setPassword?.bind(backend), 'set passwords', alias)(username, password)
    return { ok: true }
  },
}
