import { Alert, Button, Group, NumberInput, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core'
import { IconInfoCircle, IconSearch } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import type { ListedEntry } from './use-key-scan'

/** What the value panel opens: a listed key, or one looked up by name on an engine that cannot list. */
export interface KeyTarget {
  /** The key as stored (prefix:version:key), read with cache.inspect. */
  key?: string | undefined
  /** The key as the application uses it, read with cache.get. */
  userKey?: string | undefined
  version?: number | undefined
  listed?: ListedEntry
}

/**
 * For engines that cannot list their keys (Memcached has no command for it): look one up by name,
 * as the application wrote it (cache.get adds prefix and version) or as stored.
 */
export function KeyLookup({ alias, reason, onOpen }: { alias: string; /** Why the keys cannot be listed; without it, lookup is offered beside an error that says why. */ reason?: string; onOpen: (target: KeyTarget) => void }) {
  const [name, setName] = useState('')
  const [kind, setKind] = useState<'user' | 'stored'>('user')
  const [version, setVersion] = useState<number | ''>('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name === '') return
    onOpen(kind === 'user' ? { userKey: name, ...(version === '' ? {} : { version }) } : { key: name })
  }
  return (
    <Stack gap="sm">
      {reason !== undefined && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} title="This cache cannot list its keys">
          <Text size="sm">
            {reason} Memcached keeps no index of its keys, so nothing can browse them; look a key up by its name instead.
          </Text>
        </Alert>
      )}
      <Paper withBorder p="sm" component="form" onSubmit={submit} aria-label="Look up a key">
        <Stack gap="xs">
          <SegmentedControl
            size="xs"
            value={kind}
            onChange={(value) => setKind(value as 'user' | 'stored')}
            data={[
              { value: 'user', label: "The application's key" },
              { value: 'stored', label: 'Stored key (prefix:version:key)' },
            ]}
          />
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label={kind === 'user' ? 'Key' : 'Stored key'}
              placeholder={kind === 'user' ? 'session:42' : ':1:session:42'}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            {kind === 'user' && <NumberInput label="Version" placeholder={`alias's`} w={100} value={version} onChange={(v) => setVersion(typeof v === 'number' ? v : '')} allowDecimal={false} />}
            <Button type="submit" leftSection={<IconSearch size={14} />} disabled={name === ''}>
              Look up
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {`Alias “${alias}”: the application's key is stored as prefix:version:key (Django's default key function).`}
          </Text>
        </Stack>
      </Paper>
    </Stack>
  )
}
