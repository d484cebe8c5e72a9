import { Button, Group, NumberInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ApiError } from '../../../api/api-error'
import { useApiMutation } from '../../../api/hooks'

/** cache.incr on an integer value: Django's incr/decr (atomic on Redis and Memcached). */
export function IncrementControl({ alias, userKey, version }: { alias: string; userKey: string; version: number | undefined }) {
  const queryClient = useQueryClient()
  const [delta, setDelta] = useState<number | ''>(1)
  const incr = useApiMutation('cache.incr', {
    onSuccess: (result) => {
      notifications.show({ color: 'teal', title: 'Incremented', message: `“${userKey}” is now ${result.value}.` })
      void queryClient.invalidateQueries({ queryKey: ['cache.inspect'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.get'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.scan'] })
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Not incremented', message: ApiError.from(error).message }),
  })
  return (
    <Group gap={6} align="flex-end">
      <NumberInput size="xs" label="By" w={90} value={delta} allowDecimal={false} onChange={(v) => setDelta(typeof v === 'number' ? v : '')} />
      <Button size="xs" variant="default" loading={incr.isPending} disabled={delta === ''} onClick={() => delta !== '' && incr.mutate({ alias, key: userKey, delta, ...(version === undefined ? {} : { version }) })}>
        Increment
      </Button>
    </Group>
  )
}
