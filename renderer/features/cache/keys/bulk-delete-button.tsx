import { Button, Code, Group, List, Loader, Modal, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconFilterX } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ApiError } from '../../../api/api-error'
import { useApiMutation } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { countOf, ErrorCode } from '../../../../main/api/contract'

interface BulkDeleteButtonProps {
  alias: string
  pattern: string
  raw: boolean
  onDeleted: () => void
}

/**
 * Deletes every key a pattern matches, in two steps: a dry run counts them and shows the first, then
 * the delete names that count (confirmCount), so nothing goes that the user was not shown.
 */
export function BulkDeleteButton({ alias, pattern: typed, raw: typedRaw, onDeleted }: BulkDeleteButtonProps) {
  const queryClient = useQueryClient()
  const [opened, setOpened] = useState(false)
  // The pattern as it was when the dialog opened: typing on behind it must not change what is counted or deleted.
  const [{ pattern, raw }, setAsked] = useState({ pattern: typed, raw: typedRaw })
  const count = useApiMutation('cache.deleteMatching')
  const remove = useApiMutation('cache.deleteMatching', {
    onSuccess: (result) => {
      notifications.show({ color: 'teal', title: `Deleted ${countOf(result.deleted, 'key')}`, message: `matching ${pattern} in cache alias “${alias}”.` })
      setOpened(false)
      onDeleted()
      void queryClient.invalidateQueries({ queryKey: ['cache.scan'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.inspect'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.get'] })
    },
    // The keys changed since the count: count again, so the next confirmation names the new number.
    onError: (error) => {
      if (ApiError.from(error).code === ErrorCode.E_NEEDS_CONFIRMATION) count.mutate({ alias, pattern, raw, dryRun: true })
    },
  })
  const open = () => {
    setAsked({ pattern: typed, raw: typedRaw })
    setOpened(true)
    remove.reset()
    count.mutate({ alias, pattern: typed, raw: typedRaw, dryRun: true })
  }
  const close = () => {
    if (!remove.isPending) setOpened(false)
  }
  const matched = count.data?.matched
  return (
    <>
      <Button size="xs" variant="light" color="red" leftSection={<IconFilterX size={14} />} onClick={open}>
        Delete matching…
      </Button>
      <Modal opened={opened} onClose={close} title={`Delete the keys that match ${pattern}?`} centered>
        <Stack gap="sm">
          <Text size="sm">
            Pattern <Code>{pattern}</Code> over {raw ? 'stored keys' : "the application's keys, in any version"} of cache alias “{alias}”.
          </Text>
          {count.isPending && (
            <Group gap={6}>
              <Loader size={12} aria-label="Counting" />
              <Text size="sm">Counting the keys…</Text>
            </Group>
          )}
          {count.isError && <ErrorAlert error={count.error} title="Could not count the keys" />}
          {count.data && (
            <div aria-label="Keys that match">
              <Text size="sm" fw={600}>
                {matched === 0 ? 'No keys match.' : `${countOf(matched ?? 0, 'key')} ${matched === 1 ? 'matches' : 'match'}.`}
              </Text>
              {count.data.sample.length > 0 && (
                <List size="xs" ff="monospace" mt={4} spacing={0}>
                  {count.data.sample.map((key) => (
                    <List.Item key={key}>{key}</List.Item>
                  ))}
                </List>
              )}
              {matched !== undefined && matched > count.data.sample.length && (
                <Text size="xs" c="dimmed">
                  …and {countOf(matched - count.data.sample.length, 'more key')}.
                </Text>
              )}
            </div>
          )}
          {remove.isError && <ErrorAlert error={remove.error} title="Nothing was deleted" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={remove.isPending}>
              Cancel
            </Button>
            {matched !== undefined && matched > 0 && (
              <Button color="red" loading={remove.isPending} disabled={count.isPending} data-autofocus onClick={() => remove.mutate({ alias, pattern, raw, dryRun: false, confirmCount: matched })}>
                Delete {countOf(matched, 'key')}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  )
}
