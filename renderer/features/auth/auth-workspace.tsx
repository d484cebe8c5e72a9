import { Tabs } from '@mantine/core'
import { IconHash, IconListDetails, IconLogin, IconShieldLock, IconUsers, IconUsersGroup } from '@tabler/icons-react'
import { useSearchParams } from 'react-router'
import { AuditView } from './audit/audit-view'
import { GroupsView } from './groups/groups-view'
import { HashInspector } from './hashes/hash-inspector'
import { LoginTester } from './login/login-tester'
import { ProtectionView } from './protection/protection-view'
import { UsersView } from './users/users-view'

const VIEWS = [
  { value: 'users', label: 'Users', icon: IconUsers },
  { value: 'groups', label: 'Groups', icon: IconUsersGroup },
  { value: 'login', label: 'Login tester', icon: IconLogin },
  { value: 'hash', label: 'Hash inspector', icon: IconHash },
  { value: 'audit', label: 'Audit log', icon: IconListDetails },
  { value: 'protection', label: 'Protection', icon: IconShieldLock },
] as const
type View = (typeof VIEWS)[number]['value']

/**
 * The Auth section: the alias's users and groups (Django admin's auth pages), then what the whole chain
 * does at a login. The view is in the address (`#/auth?view=audit`) so a reload keeps it; views not
 * shown are unmounted (the protection view stops polling when left).
 */
export function AuthWorkspace({ alias }: { alias: string }) {
  const [params, setParams] = useSearchParams()
  const requested = params.get('view')
  const view: View = VIEWS.find((v) => v.value === requested)?.value ?? 'users'
  const choose = (next: string | null) => setParams(next && next !== 'users' ? { view: next } : {}, { replace: true })
  return (
    <Tabs value={view} onChange={choose} keepMounted={false}>
      <Tabs.List mb="sm">
        {VIEWS.map(({ value, label, icon: Icon }) => (
          <Tabs.Tab key={value} value={value} leftSection={<Icon size={14} />}>
            {label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="users">
        <UsersView alias={alias} />
      </Tabs.Panel>
      <Tabs.Panel value="groups">
        <GroupsView alias={alias} />
      </Tabs.Panel>
      <Tabs.Panel value="login">
        <LoginTester />
      </Tabs.Panel>
      <Tabs.Panel value="hash">
        <HashInspector alias={alias} />
      </Tabs.Panel>
      <Tabs.Panel value="audit">
        <AuditView />
      </Tabs.Panel>
      <Tabs.Panel value="protection">
        <ProtectionView />
      </Tabs.Panel>
    </Tabs>
  )
}
