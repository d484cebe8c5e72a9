import { defineEngine, type EngineContext } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { HealthProbe } from '../../../core/health-probe'
import { rememberSecret } from '../../../core/redact'
import { countOf } from '../../../core/schemas/count-noun'
import { BaseAuthBackend, type AuthBackend, type AuthRefusal, type AuthResult, type AuthUser, type Credentials, type ExternalUser } from '../base'
import { attribute, withLdap, type LdapConnection, type LdapServer } from './ldap-connection'
import { Directory, isNoSuchEntry, normalizeUsername, type DirectoryUser } from './ldap-directory'
import { LdapResult, resultCode } from './ldap-errors'
import { presenceFilter, splitDnTemplate } from './ldap-escape'
import { groupNames } from './ldap-groups'
import { groupDns, LdapOptions } from './ldap-options'

/** Counting users for the health report stops here: enough to tell a configured base from an empty one. */
const COUNT_MAX = 100_000

type MirrorStore = AuthBackend & { mirrorUser: NonNullable<AuthBackend['mirrorUser']> }

/**
 * django-auth-ldap's LDAPBackend on ldapts: a user binds with their own DN (from a template, or found by
 * the service account's search); flags come from groups, the directory may forbid a user by group, and
 * with mirrorTo the user is kept in a model alias whose groups give the permissions (FIND_GROUP_PERMS).
 * Every call opens its own connection and closes it before answering.
 */
class LdapBackend extends BaseAuthBackend<LdapOptions> {
  private readonly server: LdapServer
  private readonly directory: Directory

  constructor(options: LdapOptions, ctx: EngineContext) {
    super(options, ctx)
    this.server = { url: options.url, startTls: options.startTls, caFile: options.caFile, rejectUnauthorized: options.rejectUnauthorized, timeout: options.timeout }
    this.directory = new Directory(options)
    if (options.bindPassword) rememberSecret(options.bindPassword)
  }

  override async authenticate(credentials: Credentials): Promise<AuthResult> {
    const { password } = credentials
    // django-auth-ldap strips the username, and keeps the Django user under its lower-case form; the user
    // answered is named as their entry is (DirectoryUser.username), not as typed.
    const username = typeof credentials.username === 'string' ? normalizeUsername(credentials.username) : ''
    if (!username || typeof password !== 'string') return this.skip('The LDAP backend takes a username and a password.')
    if (!password) {
      return this.skip('An empty password is not sent to the directory: LDAP takes it for an unauthenticated bind, which succeeds (django-auth-ldap refuses it too).')
    }
    const outcome = await withLdap(this.server, this.ctx.dataDir, (connection) => this.signIn(connection, username, password))
    if ('refusal' in outcome) return outcome.refusal
    if (outcome.user.forbidden) {
      // django-auth-ldap returns None here and Django asks the next backend; the directory has said this
      // person must not sign in, so the chain stops rather than let a local account of the same name in.
      return this.deny(`The directory forbids the login: ${outcome.user.forbidden}.`)
    }
    return this.accept(await this.userOf(outcome.user))
  }

  override async getUser(id: string): Promise<AuthUser | null> {
    if (this.options.mirrorTo) return (await this.mirror()).getUser(id)
    return this.lookUp(id)
  }

  async getUserByName(username: string): Promise<AuthUser | null> {
    const name = normalizeUsername(username)
    if (this.options.mirrorTo) return (await this.mirror()).getUserByName?.(name) ?? null
    return this.lookUp(name)
  }

  /**
   * django-auth-ldap's FIND_GROUP_PERMS: the permissions of the mirror store's groups named as the user's
   * LDAP groups. With mirrorGroups those are the user's groups in the store, which the store answers
   * itself; otherwise the names are read from the directory. Without a mirror there are none.
   */
  override async getGroupPermissions(user: AuthUser): Promise<string[]> {
    const { mirrorTo, groupSearchBase, groupType } = this.options
    if (!mirrorTo || !groupSearchBase) return []
    const store = await this.mirror()
    if (this.options.mirrorGroups && store.getGroupPermissions) return store.getGroupPermissions(user)
    const names = await withLdap(this.server, this.ctx.dataDir, async (connection): Promise<string[]> => {
      await this.directory.bindService(connection)
      const { entry } = await this.directory.findEntry(connection, user.username)
      return entry ? groupNames(connection, groupType, entry, groupSearchBase) : []
    })
    const groups = (await store.listGroups?.()) ?? []
    return [...new Set(groups.filter((g) => names.includes(g.name)).flatMap((g) => g.permissions))].sort()
  }

  protected async serverVersion(): Promise<string> {
    const dse = await withLdap(this.server, this.ctx.dataDir, (connection) => connection.rootDse())
    const vendor = [attribute(dse, 'vendorName'), attribute(dse, 'vendorVersion')].filter(Boolean).join(' ')
    const contexts = dse['namingContexts']
    const naming = (Array.isArray(contexts) ? contexts : contexts ? [contexts] : []).map(String).join(', ')
    return `${vendor || 'LDAP server'} at ${this.server.url}${this.server.startTls ? ' (StartTLS)' : ''}${naming ? `, naming contexts ${naming}` : ''}`
  }

  /** Binds the service account, counts the users it can find, and checks that every group named exists. */
  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    await withLdap(this.server, this.ctx.dataDir, async (connection) => {
      await probe.step('bind', () => this.directory.bindService(connection), () => (this.options.bindDn ? `as ${this.options.bindDn}` : 'anonymous'))
      const users = await probe.step('users', () => this.countUsers(connection), ({ count, more, base }) => `${more ? 'at least ' : ''}${countOf(count, 'user')} under ${base}`)
      await probe.step('groups', () => this.checkGroups(connection), (n) => (n ? `${countOf(n, 'group')} named in the settings found` : undefined))
      if (users) probe.summary = `${users.more ? 'At least ' : ''}${countOf(users.count, 'user')} under ${users.base}`
    })
    if (this.options.mirrorTo) await probe.step('mirror', () => this.mirror(), () => `into auth alias "${this.options.mirrorTo}"`)
  }

  /** Binds as the user (having found their DN), then reads what the directory says of them. */
  private async signIn(connection: LdapConnection, username: string, password: string): Promise<{ user: DirectoryUser } | { refusal: AuthResult }> {
    let dn = this.directory.templateDn(username)
    let entry
    if (dn === undefined) {
      await this.directory.bindService(connection)
      const found = await this.directory.findEntry(connection, username)
      if (found.several) return this.refused('unknown-user', `More than one entry matches "${username}" under ${this.options.userSearchBase}; the search must find exactly one.`)
      if (!found.entry) return this.refused('unknown-user', `No entry for "${username}" under ${this.options.userSearchBase}.`)
      entry = found.entry
      dn = entry.dn
    }
    try {
      await connection.bind(dn, password, { what: `binding as ${dn}` })
    } catch (err) {
      const code = resultCode(err instanceof BackplaneError ? err.cause : err)
      if (code === LdapResult.invalidCredentials) {
        return this.refused(
          'bad-password',
          entry
            ? `Wrong password for "${username}" (${dn}).`
            : `The directory refused ${dn}: with a DN template the server does not tell a wrong password from a user that does not exist.`,
        )
      }
      if (isNoSuchEntry(err)) return this.refused('unknown-user', `No user "${username}": ${dn} is not an entry of the directory.`)
      throw err
    }
    // Attributes and groups are read as the service account when there is one, else as the user.
    if (this.options.bindDn) await this.directory.bindService(connection)
    entry ??= (await this.directory.findEntry(connection, username)).entry
    if (!entry) return this.refused('unknown-user', `${dn} signed in, but its entry cannot be read (the directory's access rules may hide it).`)
    return { user: await this.directory.describe(connection, username, entry) }
  }

  private refused(reason: AuthRefusal, message: string): { refusal: AuthResult } {
    return { refusal: this.refuse(reason, message) }
  }

  /** The user a login answers: the mirrored one (its id is the store's), or one made of the directory's entry. */
  private async userOf(found: DirectoryUser): Promise<AuthUser> {
    const external = this.directory.externalUser(found)
    if (this.options.mirrorTo) return (await this.mirror()).mirrorUser(external)
    return directoryUser(external, found.groups)
  }

  /** A user as the directory knows them, without a password: for getUser() and getUserByName() without a mirror. */
  private async lookUp(name: string): Promise<AuthUser | null> {
    const username = normalizeUsername(name)
    if (!username) return null
    return withLdap(this.server, this.ctx.dataDir, async (connection) => {
      await this.directory.bindService(connection)
      const { entry } = await this.directory.findEntry(connection, username)
      if (!entry) return null
      const found = await this.directory.describe(connection, username, entry)
      return directoryUser(this.directory.externalUser(found), found.groups)
    })
  }

  private async countUsers(connection: LdapConnection): Promise<{ count: number; more: boolean; base: string }> {
    const { userDnTemplate, userSearchBase, userSearchFilter } = this.options
    if (userDnTemplate) {
      const { attribute: rdn, parent } = splitDnTemplate(userDnTemplate)
      const counted = await connection.count(parent, 'one', `(${rdn}=*)`, COUNT_MAX, { what: `counting users under ${parent}`, option: 'userDnTemplate' })
      return { ...counted, base: parent }
    }
    const counted = await connection.count(userSearchBase!, 'sub', presenceFilter(userSearchFilter), COUNT_MAX, { what: `counting users under ${userSearchBase}`, option: 'userSearchBase' })
    return { ...counted, base: userSearchBase! }
  }

  /** The number of group DNs the options name, having checked that each exists: a typo would lock everyone out. */
  private async checkGroups(connection: LdapConnection): Promise<number> {
    const { requireGroup, denyGroup, userFlagsByGroup, groupSearchBase } = this.options
    const named: Array<[option: string, dn: string]> = [
      ...(groupSearchBase ? [['groupSearchBase', groupSearchBase] as [string, string]] : []),
      ...(requireGroup ? [['requireGroup', requireGroup] as [string, string]] : []),
      ...(denyGroup ? [['denyGroup', denyGroup] as [string, string]] : []),
      ...Object.entries(userFlagsByGroup).flatMap(([flag, dns]) => groupDns(dns).map((dn) => [`userFlagsByGroup.${flag}`, dn] as [string, string])),
    ]
    for (const [option, dn] of named) {
      if (!(await connection.matches(dn, '(objectClass=*)', { what: `looking for ${dn}`, option }))) {
        throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `${option} names ${dn}, which is not an entry of ${this.server.url}.`, { hint: `Fix ${option}: copy the DN from the directory.` })
      }
    }
    return named.length - (groupSearchBase ? 1 : 0)
  }

  private async mirror(): Promise<MirrorStore> {
    const alias = this.options.mirrorTo!
    const store = await this.ctx.backend('auth', alias)
    if (typeof store.mirrorUser !== 'function') {
      throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `The auth alias "${alias}" cannot keep mirrored users (its engine has no mirrorUser()).`, {
        hint: 'Set mirrorTo to an alias of the model backend.',
      })
    }
    return store as MirrorStore
  }
}

/** A user that lives in the directory only: its id is its username; flags the options do not map take Django's defaults. */
function directoryUser(user: ExternalUser, groups: string[] | undefined): AuthUser {
  return {
    id: user.username,
    username: user.username,
    email: user.email ?? '',
    firstName: user.firstName ?? '',
    lastName: user.lastName ?? '',
    isActive: user.isActive ?? true,
    isStaff: user.isStaff ?? false,
    isSuperuser: user.isSuperuser ?? false,
    ...(groups ? { groups } : {}),
  }
}

export const ldapEngine = defineEngine({
  kind: 'auth',
  id: 'ldap',
  title: 'LDAP (django-auth-ldap)',
  description: 'Users of an LDAP directory (OpenLDAP, Active Directory, …), by direct bind or search-then-bind, with flags and permissions from groups.',
  options: LdapOptions,
  create: (options, ctx) => new LdapBackend(options, ctx),
})
