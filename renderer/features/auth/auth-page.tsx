import { Grid } from '@mantine/core'
import { AliasPage } from '../../components/alias-page'
import { LoginTester } from './login-tester'
import { UserList } from './user-list'

export function AuthPage() {
  return (
    <AliasPage kind="auth" title="Auth" description="Users of an auth alias, and what each alias answers to a login.">
      {(alias) => (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <UserList alias={alias} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <LoginTester />
          </Grid.Col>
        </Grid>
      )}
    </AliasPage>
  )
}
