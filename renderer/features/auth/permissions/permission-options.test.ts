import type { ComboboxParsedItem } from '@mantine/core'
import { describe, expect, it } from 'vitest'
import type { AuthPermission } from '../types'
import { groupByApp, matchWords } from './permission-options'

const perm = (appLabel: string, codename: string, name: string): AuthPermission => ({ id: codename, perm: `${appLabel}.${codename}`, name, appLabel, model: codename.split('_')[1] ?? '', codename })
const permissions = [perm('blog', 'add_post', 'Can add post'), perm('auth', 'view_user', 'Can view user'), perm('auth', 'add_user', 'Can add user')]

describe('permission options', () => {
  it('groups the permissions by app label, apps in alphabetical order, with the code beside the name', () => {
    const groups = groupByApp(permissions)
    expect(groups.map((group) => group.group)).toEqual(['auth', 'blog'])
    expect(groups[0]!.items).toEqual([
      { value: 'auth.view_user', label: 'Can view user (auth.view_user)' },
      { value: 'auth.add_user', label: 'Can add user (auth.add_user)' },
    ])
  })

  it('finds a permission by every word typed, in any order, in its name or code, and drops emptied groups', () => {
    const options = groupByApp(permissions) as ComboboxParsedItem[]
    const found = matchWords({ options, search: 'user add', limit: 100 }) as { group: string; items: { value: string }[] }[]
    expect(found).toEqual([{ group: 'auth', items: [{ value: 'auth.add_user', label: 'Can add user (auth.add_user)' }] }])
    expect(matchWords({ options, search: 'blog.', limit: 100 }).map((item) => ('group' in item ? item.group : ''))).toEqual(['blog'])
  })
})
