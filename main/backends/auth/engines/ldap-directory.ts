import type { Entry } from 'ldapts'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { ExternalUser } from '../base'
import { attribute, type LdapConnection } from './ldap-connection'
import { LdapResult, resultCode } from './ldap-errors'
import { filterUserAttribute, fillDnTemplate, fillFilterTemplate, rdnValue, splitDnTemplate } from './ldap-escape'
import { groupDns, type LdapOptions } from './ldap-options'
import { groupNames, isMemberOf } from './ldap-groups'

/** What the directory says of a user: their entry, their flags by group, their groups, and whether they may sign in. */
export interface DirectoryUser {
  /** The entry's own username (see Directory.identity), not what was typed. */
  username: string
  entry: Entry
  /** Only the flags that userFlagsByGroup maps; the others are left to the store (as django-auth-ldap). */
  flags: Partial<Record<'isActive' | 'isStaff' | 'isSuperuser', boolean>>
  /** The cn of each group under groupSearchBase; undefined without a group search. */
  groups: string[] | undefined
  /** Why the directory forbids this user to sign in (requireGroup, denyGroup), if it does. */
  forbidden: string | undefined
}

type Flag = keyof DirectoryUser['flags']
const FLAGS: readonly Flag[] = ['isActive', 'isStaff', 'isSuperuser']

// Django's field sizes (auth_user): a longer directory value would make the mirror's INSERT fail.
const FIRST_NAME_MAX = 150
const LAST_NAME_MAX = 150
const EMAIL_MAX = 254

/**
 * The reads of the directory that a login and a lookup share: where a user's entry is (DN template or
 * search), the service account's bind, and what the entry's groups make of the user.
 */
export class Directory {
  /** The attribute the username is matched with (uid, sAMAccountName…); undefined when the settings do not say. */
  private readonly userAttribute: string | undefined

  constructor(private readonly options: LdapOptions) {
    this.userAttribute = options.userDnTemplate ? templateUserAttribute(options.userDnTemplate) : filterUserAttribute(options.userSearchFilter)
  }

  /** Binds as the service account, when there is one; otherwise the connection stays anonymous. */
  async bindService(connection: LdapConnection): Promise<void> {
    const { bindDn, bindPassword } = this.options
    if (!bindDn) return
    if (!bindPassword) {
      throw new BackplaneError(ErrorCode.E_SECRET_MISSING, `The bind DN ${bindDn} has no password.`, {
        hint: 'Enter the bind password in Settings: without one the bind would be anonymous.',
      })
    }
    await connection.bind(bindDn, bindPassword, { what: `binding the service account ${bindDn}`, option: 'bindDn and bindPassword' })
  }

  /** The DN the template gives for a username (direct bind), or undefined in search mode. */
  templateDn(username: string): string | undefined {
    return this.options.userDnTemplate ? fillDnTemplate(this.options.userDnTemplate, username) : undefined
  }

  /**
   * The user's entry: read at the template's DN, or searched under userSearchBase. `several` when the
   * filter matches more than one entry, which django-auth-ldap also refuses (it needs exactly one).
   */
  async findEntry(connection: LdapConnection, username: string): Promise<{ entry?: Entry; several?: boolean }> {
    const attributes = this.attributes()
    const dn = this.templateDn(username)
    if (dn !== undefined) {
      const { entries } = await connection.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes }, { what: `reading ${dn}`, option: 'userDnTemplate' }).catch((err: unknown) => {
        // A username that makes no valid DN, or names no entry, is no user (not a fault of the settings).
        if (isNoSuchEntry(err)) return { entries: [] }
        throw err
      })
      return entries[0] ? { entry: entries[0] } : {}
    }
    const base = this.options.userSearchBase!
    const filter = fillFilterTemplate(this.options.userSearchFilter, username)
    const { entries, truncated } = await connection.search(base, { scope: 'sub', filter, attributes }, { what: `searching ${filter} under ${base}`, option: 'userSearchBase' })
    if (truncated || entries.length > 1) return { several: true }
    return entries[0] ? { entry: entries[0] } : {}
  }

  /** Flags, groups and the required and denied groups, for the user of `entry`. */
  async describe(connection: LdapConnection, username: string, entry: Entry): Promise<DirectoryUser> {
    const { groupType, requireGroup, denyGroup, userFlagsByGroup, groupSearchBase } = this.options
    const memberOfAny = async (dns: string[], option: string) => {
      for (const dn of dns) if (await isMemberOf(connection, groupType, entry, dn, option)) return true
      return false
    }
    const flags: DirectoryUser['flags'] = {}
    for (const flag of FLAGS) {
      const dns = groupDns(userFlagsByGroup[flag])
      if (dns.length) flags[flag] = await memberOfAny(dns, `userFlagsByGroup.${flag}`)
    }
    let forbidden: string | undefined
    if (requireGroup && !(await memberOfAny([requireGroup], 'requireGroup'))) forbidden = `"${username}" is not a member of ${requireGroup} (requireGroup)`
    else if (denyGroup && (await memberOfAny([denyGroup], 'denyGroup'))) forbidden = `"${username}" is a member of ${denyGroup} (denyGroup)`
    const groups = groupSearchBase ? await groupNames(connection, groupType, entry, groupSearchBase) : undefined
    return { username: this.identity(entry, username), entry, flags, groups, forbidden }
  }

  /**
   * The username the entry is known by, whatever spelling found it: the directory matches uid=MALLORY,
   * " mallory" and the fullwidth "ｍａｌｌｏｒｙ" alike (RFC 4518 folds case, width and spaces), and each
   * must not become a user of its own. So the value comes from the entry: its RDN when that is the
   * username's attribute (one per entry, even for a multi-valued uid), else the attribute's first value,
   * else (a filter that does not name one) what was typed; normalised as typed names are.
   */
  private identity(entry: Entry, typed: string): string {
    const stored = this.userAttribute && (rdnValue(entry.dn, this.userAttribute) ?? attribute(entry, this.userAttribute))
    return (stored && normalizeUsername(stored)) || typed
  }

  /** The user as the mirror store gets them: the mapped attributes, the mapped flags, and the groups if mirrored. */
  externalUser(user: DirectoryUser): ExternalUser {
    const map = this.options.userAttrMap
    const value = (name: string, max: number) => attribute(user.entry, name)?.slice(0, max)
    return {
      username: user.username,
      firstName: value(map.firstName, FIRST_NAME_MAX) ?? '',
      lastName: value(map.lastName, LAST_NAME_MAX) ?? '',
      email: value(map.email, EMAIL_MAX) ?? '',
      ...user.flags,
      ...(this.options.mirrorGroups && user.groups ? { groups: user.groups } : {}),
    }
  }

  private attributes(): string[] {
    const map = this.options.userAttrMap
    // uid and gidNumber: what posixGroup membership is decided by; the user attribute: the identity.
    return [...new Set([map.firstName, map.lastName, map.email, 'uid', 'gidNumber', ...(this.userAttribute ? [this.userAttribute] : [])])]
  }
}

/**
 * A username as the directory's matching rules see it (RFC 4518: compatibility forms folded, case
 * ignored, insignificant spaces dropped): NFKC, trimmed, lower-cased. django-auth-ldap strips and
 * lower-cases; NFKC first, so "ｍａｌｌｏｒｙ" is "mallory" here as it is for the server.
 */
export function normalizeUsername(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase()
}

/** The RDN attribute of a DN template whose first RDN value is the username alone ("uid=%(user)s,…"). */
function templateUserAttribute(template: string): string | undefined {
  const { attribute: name } = splitDnTemplate(template)
  return template.slice(0, template.search(/(?<!\\),|$/)).replace(/\s+/g, '') === `${name}=%(user)s` ? name : undefined
}

/** The server's noSuchObject or invalidDNSyntax, behind the typed error the connection made of it. */
export function isNoSuchEntry(err: unknown): boolean {
  const code = resultCode(err instanceof BackplaneError ? err.cause : err)
  return code === LdapResult.noSuchObject || code === LdapResult.invalidDnSyntax
}
