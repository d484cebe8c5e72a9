import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconTrashX } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useApiMutation } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'

/** cache.clear() behind the strongest confirmation there is: the alias's name, typed. */
export function FlushButton({ alias, onFlushed }: { alias: string; onFlushed: () => void }) {
  const queryClient = useQueryClient()
  const [opened, setOpened] = useState(false)
  const [typed, setTyped] = useState('')
  const clear = useApiMutation('cache.clear', {
    onSuccess: () => {
      notifications.show({ color: 'teal', title: 'Flushed', message: `Every key of cache alias “${alias}” is gone.` })
      setOpened(false)
      onFlushed()
      void queryClient.invalidateQueries({ queryKey: ['cache.scan'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.inspect'] })
    },
  })
  const open = () => {
    setTyped('')
    clear.reset()
    setOpened(true)
  }
  const close = () => {
    if (!clear.isPending) setOpened(false)
  }
  return (
    <>
      <Button size="xs" variant="light" color="red" leftSection={<IconTrashX size={14} />} onClick={open}>
        Flush…
      </Button>
      <Modal opened={opened} onClose={close} title={`Flush cache alias “${alias}”?`} centered>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            if (typed === alias) clear.mutate({ alias })
          }}
        >
          <Stack gap="sm">
            <Text size="sm">Every entry is deleted, including those other applications stored in it (Django: cache.clear(); on Redis, the whole database).</Text>
            <TextInput label={`Type “${alias}” to confirm`} value={typed} onChange={(event) => setTyped(event.currentTarget.value)} data-autofocus autoComplete="off" />
            {clear.isError && <ErrorAlert error={clear.error} title="Not flushed" />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={clear.isPending}>
                Cancel
              </Button>
              <Button type="submit" color="red" disabled={typed !== alias} loading={clear.isPending}>
                Flush “{alias}”
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  )
}
