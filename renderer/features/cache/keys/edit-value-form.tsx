import { Button, Group, Stack, Textarea } from '@mantine/core'
import { getHotkeyHandler } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useApiMutation } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { MOD_KEY_LABEL } from '../../../components/mod-key'
import { parseJson } from './json-input'
import { TimeoutInput, timeoutOf, type TimeoutChoice } from './timeout-input'

interface EditValueFormProps {
  alias: string
  userKey: string
  version: number | undefined
  value: unknown
  /** Seconds left now, or null for never. */
  ttl: number | null | undefined
  onDone: () => void
}

/** The value as JSON in a box and its TTL, written back with cache.set in the entry's own version. */
export function EditValueForm({ alias, userKey, version, value, ttl, onDone }: EditValueFormProps) {
  const queryClient = useQueryClient()
  const [text, setText] = useState(() => JSON.stringify(value, null, 2) ?? '')
  const [timeout, setTimeoutChoice] = useState<TimeoutChoice>({ seconds: ttl === null || ttl === undefined ? '' : Math.max(0, Math.ceil(ttl)), never: ttl === null })
  const parsed = parseJson(text)
  const set = useApiMutation('cache.set', {
    onSuccess: () => {
      notifications.show({ color: 'teal', title: 'Saved', message: `“${userKey}” in cache alias “${alias}”.` })
      void queryClient.invalidateQueries({ queryKey: ['cache.scan'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.inspect'] })
      void queryClient.invalidateQueries({ queryKey: ['cache.get'] })
      onDone()
    },
  })
  const save = () => {
    if (parsed.error) return
    set.mutate({ alias, key: userKey, value: parsed.value, ...timeoutOf(timeout), ...(version === undefined ? {} : { version }) })
  }
  return (
    <Stack gap="xs" component="form" aria-label="Edit the value" onSubmit={(event) => (event.preventDefault(), save())}>
      <Textarea
        label="Value (JSON)"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={getHotkeyHandler([['mod+Enter', save]])}
        error={parsed.error}
        autosize
        minRows={4}
        maxRows={18}
        spellCheck={false}
        data-autofocus
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
      />
      <Group align="flex-end" justify="space-between">
        <TimeoutInput label="TTL (seconds)" value={timeout} onChange={setTimeoutChoice} />
        <Group gap="xs">
          <Button variant="default" onClick={onDone} disabled={set.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={set.isPending} disabled={parsed.error !== undefined} title={`${MOD_KEY_LABEL}+Enter`}>
            Save
          </Button>
        </Group>
      </Group>
      {set.isError && <ErrorAlert error={set.error} title="Not saved" />}
    </Stack>
  )
}
