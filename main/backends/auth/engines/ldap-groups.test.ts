import type { Entry } from 'ldapts'
import { describe, expect, it } from 'vitest'
import type { LdapConnection } from './ldap-connection'
import { groupNames, MAX_GROUPS } from './ldap-groups'

const USER: Entry = { dn: 'uid=ada,ou=people,dc=example,dc=test', uid: 'ada' }

/** A connection whose paged search answers `answer`, recording the limit it was asked for. */
function answering(answer: { entries: Entry[]; more: boolean }): { connection: LdapConnection; maxes: number[] } {
  const maxes: number[] = []
  const connection = {
    searchAll: async (_base: string, _request: unknown, max: number) => {
      maxes.push(max)
      return answer
    },
  } as unknown as LdapConnection
  return { connection, maxes }
}

describe("a user's groups", () => {
  it('are every group the paged search found, by cn, sorted', async () => {
    const { connection, maxes } = answering({ entries: [{ dn: 'cn=b', cn: 'b' }, { dn: 'cn=a', cn: ['a'] }, { dn: 'cn=x' }], more: false })
    expect(await groupNames(connection, 'groupOfNames', USER, 'ou=groups,dc=example,dc=test')).toEqual(['a', 'b'])
    expect(maxes).toEqual([MAX_GROUPS])
  })

  it('are an error past MAX_GROUPS, never the first MAX_GROUPS of them (mirrorGroups would drop the rest)', async () => {
    const { connection } = answering({ entries: [{ dn: 'cn=a', cn: 'a' }], more: true })
    await expect(groupNames(connection, 'groupOfNames', USER, 'ou=groups,dc=example,dc=test')).rejects.toMatchObject({
      code: 'E_ENGINE_FAILED',
      message: expect.stringContaining(`more than ${MAX_GROUPS} groups`),
      hint: expect.stringContaining('groupSearchBase'),
    })
  })
})
