import { isAuthBackend, type AuthBackend } from '../../backends/auth/base'
import { validatePassword, type PasswordUser } from '../../backends/auth/validators'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { AppServices } from '../app-services'
import type { HandlerGroup } from '../router'
import { backendOf, capability } from './backend-of'

type AdminCapability =
  | 'listUsers'
  | 'getUserDetail'
  | 'getUserByName'
  | 'createUser'
  | 'updateUser'
  | 'deleteUser'
  | 'setPassword'
  | 'listGroups'
  | 'saveGroup'
  | 'deleteGroup'
  | 'listPermissions'

/** What each capability lets an alias do, in the words of "The engine of alias … cannot …". */
const ABILITY: Record<AdminCapability, string> = {
  listUsers: 'list its users',
  getUserDetail: 'show a user',
  getUserByName: 'look a user up by name',
  createUser: 'create users',
  updateUser: 'edit users',
  deleteUser: 'delete users',
  setPassword: 'set passwords',
  listGroups: 'list groups',
  saveGroup: 'edit groups',
  deleteGroup: 'delete groups',
  listPermissions: 'list permissions',
}

/** One admin capability of an auth alias's backend (the model backend has them all), or E_UNSUPPORTED saying which. */
async function admin<K extends AdminCapability>(app: AppServices, alias: string, name: K): Promise<NonNullable<AuthBackend[K]>> {
  const backend = await backendOf(app, 'auth', alias, isAuthBackend)
  const method = backend[name] as ((...args: never[]) => unknown) | undefined
  return capability(method?.bind(backend) as NonNullable<AuthBackend[K]> | undefined, ABILITY[name], alias)
}

/**
 * Django's validate_password() on a password about to be stored, unless the caller skips it (as
 * create_user() in code does): the problems travel in details.problems, never the password.
 */
async function refuseInvalidPassword(password: string, user: PasswordUser, skip: boolean): Promise<void> {
  if (skip) return
  const problems = await validatePassword(password, user)
  if (problems.length === 0) return
  throw new BackplaneError(ErrorCode.E_PASSWORD_INVALID, problems.map((p) => p.message).join(' '), { details: { problems } })
}

/** Drops the keys whose value is undefined: the engines' patches tell "left out" from a value. */
function given<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }
}

const Ok = { ok: true } as const

export const authAdminHandlers: HandlerGroup<
  'auth.users' | 'auth.user' | 'auth.createUser' | 'auth.updateUser' | 'auth.deleteUser' | 'auth.setPassword' | 'auth.groups' | 'auth.saveGroup' | 'auth.deleteGroup' | 'auth.permissions'
> = {
  'auth.users': async ({ alias, ...query }, { app }) => (await admin(app, alias, 'listUsers'))(given(query)),

  'auth.user': async ({ alias, id }, { app }) => {
    const detail = await (await admin(app, alias, 'getUserDetail'))(id)
    if (!detail) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `No user with id ${id} in alias "${alias}".`, { hint: 'It was deleted meanwhile: reload the list of users.' })
    return detail
  },

  'auth.createUser': async ({ alias, skipValidation, username, ...fields }, { app }) => {
    const create = await admin(app, alias, 'createUser')
    if (fields.password !== undefined) await refuseInvalidPassword(fields.password, given({ username, email: fields.email, firstName: fields.firstName, lastName: fields.lastName }), skipValidation)
    return create({ ...given(fields), username })
  },

  'auth.updateUser': async ({ alias, id, ...patch }, { app }) => (await admin(app, alias, 'updateUser'))(id, given(patch)),

  'auth.deleteUser': async ({ alias, id }, { app }) => {
    await (await admin(app, alias, 'deleteUser'))(id)
    return Ok
  },

  'auth.setPassword': async ({ alias, username, password, unusable, skipValidation }, { app }) => {
    const setPassword = await admin(app, alias, 'setPassword')
    if (unusable === (password !== undefined)) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, unusable ? 'Give a password or ask for an unusable one, not both.' : 'Enter a password, or ask for an unusable one.', {
        hint: 'Send either "password" or "unusable": true.',
      })
    }
    if (password !== undefined && !skipValidation) {
      // The similarity check compares with the user's own attributes, so the user is looked up first.
      const user = await (await admin(app, alias, 'getUserByName'))(username)
      if (!user) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `No user "${username}" in alias "${alias}".`, { hint: 'Check the username, or create the user first.' })
      await refuseInvalidPassword(password, given({ username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName }), false)
    }
    await setPassword(username, password ?? null)
    return Ok
  },

  'auth.groups': async ({ alias }, { app }) => ({ groups: await (await admin(app, alias, 'listGroups'))() }),

  'auth.saveGroup': async ({ alias, id, name, permissions }, { app }) => (await admin(app, alias, 'saveGroup'))({ ...given({ id }), name, permissions }),

  'auth.deleteGroup': async ({ alias, id }, { app }) => {
    await (await admin(app, alias, 'deleteGroup'))(id)
    return Ok
  },

  'auth.permissions': async ({ alias }, { app }) => ({ permissions: await (await admin(app, alias, 'listPermissions'))() }),
}
