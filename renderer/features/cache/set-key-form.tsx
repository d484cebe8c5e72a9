import { Button, Checkbox, Group, NumberInput, Paper, Stack, Textarea, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useApiMutation } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'

function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (error) {
    return { error: `Not valid JSON (${(error as Error).message}). Strings need quotes: "hello".` }
  }
}

/** Stores one key: the value as JSON, the timeout in seconds (empty: the alias's default). */
export function SetKeyForm({ alias, initialKey }: { alias: string; initialKey?: string | undefined }) {
  const queryClient = useQueryClient()
  const [key, setKey] = useState(initialKey ?? '')
  const [text, setText] = useState('')
  const [timeout, setTimeoutValue] = useState<number | ''>('')
  const [forever, setForever] = useState(false)
  const [submitted, setSubmitted] = useState(false)
  const parsed = parseJson(text)
  const set = useApiMutation('cache.set', {
    onSuccess: (_result, input) => {
      notifications.show({ color: 'teal', title: 'Stored', message: `“${input.key}” in cache alias “${alias}”.` })
      void queryClient.invalidateQueries({ queryKey: ['cache.scan'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.get'] })
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setSubmitted(true)
    if (key === '' || parsed.error) return
    set.mutate({ alias, key, value: parsed.value, ...(forever ? { timeout: null } : timeout === '' ? {} : { timeout }) })
  }
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-label="Store a key">
      <Title order={3} mb={6}>
        Store a key
      </Title>
      <Stack gap="xs">
        <TextInput label="Key" value={key} onChange={(e) => setKey(e.currentTarget.value)} error={submitted && key === '' ? 'Enter a key.' : undefined} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
        <Textarea
          label="Value (JSON)"
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
        <Group align="flex-end" gap="sm">
          <NumberInput
            label="Timeout (seconds)"
            placeholder="alias default"
            min={0}
            w={160}
            value={timeout}
            disabled={forever}
            onChange={(v) => setTimeoutValue(typeof v === 'number' ? v : '')}
          />
          <Checkbox label="Never expires" checked={forever} onChange={(e) => setForever(e.currentTarget.checked)} mb={6} />
          <Button type="submit" loading={set.isPending} ml="auto">
            Store
          </Button>
        </Group>
        {set.isError && <ErrorAlert error={set.error} title="Not stored" />}
      </Stack>
    </Paper>
  )
}
