import { AliasPage } from '../../components/alias-page'
import { AuthWorkspace } from './auth-workspace'

export function AuthPage() {
  return (
    <AliasPage kind="auth" title="Auth" description="Users, groups and permissions of an auth alias; what the chain of aliases answers to a login, and the record of every attempt.">
      {(alias) => <AuthWorkspace alias={alias} />}
    </AliasPage>
  )
}
