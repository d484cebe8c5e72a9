import { Button, Group, Paper, Stack, Textarea, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useApiMutation } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { parseJson } from './json-input'
import { TimeoutInput, timeoutOf, type TimeoutChoice } from './timeout-input'

/** Stores a new key: the value as JSON, the timeout in seconds (empty: the alias's default). */
export function SetKeyForm({ alias, onStored }: { alias: string; onStored?: (key: string) => void }) {
  const queryClient = useQueryClient()
  const [key, setKey] = useState('')
  const [text, setText] = useState('')
  const [timeout, setTimeoutChoice] = useState<TimeoutChoice>({ seconds: '', never: false })
  const [submitted, setSubmitted] = useState(false)
  const parsed = parseJson(text)
  const set = useApiMutation('cache.set', {
    onSuccess: (_result, input) => {
      notifications.show({ color: 'teal', title: 'Stored', message: `“${input.key}” in cache alias “${alias}”.` })
      void queryClient.invalidateQueries({ queryKey: ['cache.scan'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.inspect'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.get'] })
      onStored?.(input.key)
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    if (key === '' || parsed.error) return
    set.mutate({ alias, key, value: parsed.value, ...timeoutOf(timeout) })
  }
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-label="Store a key">
      <Title order={3} mb={6}>
        Store a key
      </Title>
      <Stack gap="xs">
        <TextInput
          label="Key"
          description="As the application uses it; the alias adds its prefix and version."
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
          error={submitted && key === '' ? 'Enter a key.' : undefined}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Textarea
          label="Value (JSON)"
          description='Python types as tagged objects: {"$bytes": "base64"}, {"$datetime": "2024-05-01T10:00:00"}, {"$tuple": […]}.'
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={(submitted || text !== '') && parsed.error}
          autosize
          minRows={3}
          maxRows={10}
          spellCheck={false}
          placeholder='{"name": "Ada"}'
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group align="flex-end" justify="space-between">
          <TimeoutInput value={timeout} onChange={setTimeoutChoice} />
          <Button type="submit" loading={set.isPending}>
            Store
          </Button>
        </Group>
        {set.isError && <ErrorAlert error={set.error} title="Not stored" />}
      </Stack>
    </Paper>
  )
}
