import { randomBytes } from 'node:crypto'
import { Change, Attribute, Client } from 'ldapts'
import type { AuthBackend } from '../../main/backends/auth/base'
import { escapeDnValue } from '../../main/backends/auth/engines/ldap-escape'
import type { ServiceEnv } from '../support/services'

/**
 * A branch of the testbed's directory of a test's own (ou=bp-<random>,ou=people) and an "active" group
 * in it, so that a test adds users under names the seed also has ("ada") without meeting the seed's, and
 * removes them all afterwards. Users are written as the admin DN (the rootdn, to which no ACL applies).
 */
export class LdapBranch {
  readonly base: string
  readonly activeGroup: string
  private readonly admin: Client
  private created = false

  constructor(private readonly env: ServiceEnv) {
    this.base = `ou=bp-${randomBytes(4).toString('hex')},ou=people,dc=example,dc=test`
    this.activeGroup = `cn=active,${this.base}`
    this.admin = new Client({ url: need(env, 'BACKPLANE_TEST_LDAP_URL'), timeout: 10_000 })
  }

  /** The options of an ldap backend that searches this branch as the service account; flags from the active group. */
  options(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      url: need(this.env, 'BACKPLANE_TEST_LDAP_URL'),
      bindDn: need(this.env, 'BACKPLANE_TEST_LDAP_SERVICE_DN'),
      bindPassword: need(this.env, 'BACKPLANE_TEST_PASSWORD'),
      userSearchBase: this.base,
      userFlagsByGroup: { isActive: this.activeGroup },
      ...extra,
    }
  }

  async addUser(username: string, password: string, options: { active?: boolean } = {}): Promise<void> {
    await this.create()
    const dn = `uid=${escapeDnValue(username)},${this.base}`
    await this.admin.add(dn, { objectClass: 'inetOrgPerson', uid: username, cn: username, sn: username, userPassword: password })
    if (options.active ?? true) await this.admin.modify(this.activeGroup, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [dn] }) }))
  }

  /** Deletes every entry of the branch, then the branch, and closes the admin connection. */
  async remove(): Promise<void> {
    try {
      if (!this.created) return
      const { searchEntries } = await this.admin.search(this.base, { scope: 'one', attributes: ['1.1'] })
      for (const entry of searchEntries) await this.admin.del(entry.dn)
      await this.admin.del(this.base)
    } finally {
      await this.admin.unbind()
    }
  }

  /** Adds the branch and its group (once); addUser() does it when needed. */
  async create(): Promise<void> {
    if (this.created) return
    await this.admin.bind(need(this.env, 'BACKPLANE_TEST_LDAP_BIND_DN'), need(this.env, 'BACKPLANE_TEST_PASSWORD'))
    await this.admin.add(this.base, { objectClass: 'organizationalUnit', ou: this.base.slice(3, this.base.indexOf(',')) })
    this.created = true
    // groupOfNames needs a member; the branch itself stands in until the first user joins.
    await this.admin.add(this.activeGroup, { objectClass: 'groupOfNames', cn: 'active', member: this.base })
  }
}

/** The fixture of the kind's contract suite for an ldap backend on its own branch. */
export async function ldapContractFixture(env: ServiceEnv, make: (options: Record<string, unknown>) => Promise<AuthBackend>) {
  const branch = new LdapBranch(env)
  await branch.create()
  const backend = await make(branch.options())
  return { backend, addUser: branch.addUser.bind(branch), cleanup: () => branch.remove() }
}

export function need(env: ServiceEnv, name: string): string {
  const value = env[name]
  if (!value) throw new Error(`${name} is not set: restart the testbed (bash scripts/testbed.sh start) to get it`)
  return value
}

/**
 * The TCP and TLS sockets this process has open. Given the count from before some work, it waits (up to
 * 2 s) for it to come back down, since a destroyed socket's handle goes at the next turns of the event loop.
 */
export async function openSockets(expected?: number): Promise<number> {
  const count = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length
  for (let i = 0; i < 40 && expected !== undefined && count() > expected; i++) await new Promise((r) => setTimeout(r, 50))
  return count()
}
