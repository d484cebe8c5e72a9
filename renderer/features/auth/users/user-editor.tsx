import { Center, Drawer, Loader } from '@mantine/core'
import { ErrorAlert } from '../../../components/error-alert'
import { useApiQuery } from '../../../api/hooks'
import { UserForm } from './user-form'

/** Django admin's change-user page, in a drawer over the list (Esc closes it). */
export function UserEditor({ alias, id, onClose }: { alias: string; id: string; onClose: () => void }) {
  const detail = useApiQuery('auth.user', { alias, id }, { staleTime: Infinity })
  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={detail.data ? `User “${detail.data.user.username}”` : 'User'}>
      {detail.isPending && (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading the user" />
        </Center>
      )}
      {detail.isError && <ErrorAlert error={detail.error} title="Could not read the user" />}
      {/* The form starts from the first answer; a refetch (after a save elsewhere) does not throw away an edit in progress. */}
      {detail.data && <UserForm alias={alias} detail={detail.data} onDeleted={onClose} />}
    </Drawer>
  )
}
