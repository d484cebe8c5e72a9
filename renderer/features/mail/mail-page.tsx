import { AliasPage } from '../../components/alias-page'
import { ComposeForm } from './compose/compose-form'

/** For now, composing a test message; the outbox viewer joins this page later. */
export function MailPage() {
  return (
    <AliasPage kind="mail" title="Mail" description="Send a test message through a mail alias and see every step of its way.">
      {(alias) => <ComposeForm alias={alias} />}
    </AliasPage>
  )
}
