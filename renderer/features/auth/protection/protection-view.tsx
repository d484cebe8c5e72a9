import { Button, Center, Group, Loader, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconLockOpen, IconRefresh } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { countOf } from '../../../../main/api/contract'
import { useApiClient, useApiQuery } from '../../../api/hooks'
import { ConfirmButton } from '../../../components/confirm-button'
import { EmptyMessage } from '../../../components/empty-message'
import { ErrorAlert } from '../../../components/error-alert'
import { formatSeconds } from '../../../components/format'
import { RelativeTime } from '../../../components/relative-time'
import { VirtualTable } from '../../../components/virtual-table/virtual-table'

const isLocked = (until: string | null) => until !== null && new Date(until).getTime() > Date.now()

/** Who is locked out after failed logins, under which policy, and the key to let them back in. */
export function ProtectionView() {
  const client = useApiClient()
  const queryClient = useQueryClient()
  // Locks run out on their own: read them again while the view is open.
  const throttle = useApiQuery('auth.throttle', {}, { refetchInterval: 5000 })
  const locks = throttle.data?.locks ?? []
  const lockedNow = locks.filter((lock) => isLocked(lock.lockedUntil)).length
  const policy = throttle.data?.policy
  const unlock = async (key?: string) => {
    const { cleared } = await client.call('auth.clearThrottle', key === undefined ? {} : { key })
    notifications.show({ color: 'teal', title: 'Unlocked', message: key ? `“${key}” may log in again.` : `${countOf(cleared, 'lock')} lifted.` })
    void queryClient.invalidateQueries({ queryKey: ['auth.throttle'] })
  }
  return (
    <Stack gap="xs">
      {policy && (
        <Text size="sm" c="dimmed" aria-label="Throttle policy">
          After {countOf(policy.freeFailures, 'failed login')} for a username or a source, each further failure locks it out: for {formatSeconds(policy.baseDelayMs / 1000)} at first, doubling each time up to{' '}
          {formatSeconds(policy.maxDelayMs / 1000)}.
        </Text>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed" aria-label="Lock count">
          {throttle.isSuccess ? `${countOf(locks.length, 'username or source', 'usernames or sources')} with recent failures · ${lockedNow} locked now` : ''}
        </Text>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconRefresh size={14} />} loading={throttle.isRefetching} onClick={() => void throttle.refetch()}>
            Refresh
          </Button>
          <ConfirmButton leftSection={<IconLockOpen size={14} />} disabled={locks.length === 0} title="Unlock every username and source?" message={`The failure counts of all ${countOf(locks.length, 'username or source', 'usernames or sources')} start again from zero.`} confirmLabel="Unlock all" onConfirm={() => unlock()}>
            Unlock all
          </ConfirmButton>
        </Group>
      </Group>
      {throttle.isPending && (
        <Center py="lg">
          <Loader size="sm" aria-label="Loading the locks" />
        </Center>
      )}
      {throttle.isError && <ErrorAlert error={throttle.error} title="Could not read the throttle" />}
      {throttle.isSuccess && locks.length === 0 && <EmptyMessage title="Nobody is locked out">Usernames and sources show here after failed logins, with how long each must wait.</EmptyMessage>}
      {locks.length > 0 && (
        <VirtualTable
          aria-label="Lockouts"
          rows={locks}
          rowKey={(lock) => lock.key}
          columns={[
            { id: 'key', header: 'Username or source', width: 240, grow: true, monospace: true, render: (l) => l.key, title: (l) => l.key },
            { id: 'failures', header: 'Failures', width: 90, align: 'right', render: (l) => l.failures },
            { id: 'until', header: 'Locked until', width: 150, render: (l) => (l.lockedUntil && isLocked(l.lockedUntil) ? <RelativeTime iso={l.lockedUntil} /> : 'not locked') },
            {
              id: 'unlock',
              header: '',
              width: 60,
              render: (l) => (
                <ConfirmButton icon={<IconLockOpen size={14} />} aria-label={`Unlock ${l.key}`} title={`Unlock “${l.key}”?`} message="Its failure count starts again from zero." confirmLabel="Unlock" onConfirm={() => unlock(l.key)}>
                  Unlock
                </ConfirmButton>
              ),
            },
          ]}
        />
      )}
    </Stack>
  )
}
