import { Code, Loader, Text } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useApiClient, useApiQuery } from '../../api/hooks'
import { CodeBlock } from '../../components/code-block'
import { ConfirmButton } from '../../components/confirm-button'
import { ErrorAlert } from '../../components/error-alert'
import { formatBytes, formatSeconds } from '../../components/format'
import type { CacheEntry } from './key-browser'
import { ItemPanel } from '../../components/item-panel'

/** The selected key's value as JSON, read through the alias's key function (prefix and version). */
export function KeyValuePanel({ alias, entry, onDeleted }: { alias: string; entry: CacheEntry; onDeleted: () => void }) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const userKey = entry.userKey
  const value = useApiQuery('cache.get', { alias, key: userKey ?? '', version: entry.version }, { enabled: userKey !== undefined })
  const remove = async () => {
    if (userKey === undefined) return
    await client.call('cache.delete', { alias, key: userKey, version: entry.version })
    await queryClient.invalidateQueries({ queryKey: ['cache.scan'] })
    onDeleted()
  }
  return (
    <ItemPanel
      label="Selected key"
      name={userKey ?? entry.key}
      meta={
        <>
          stored as <Code fz={10}>{entry.key}</Code> · {formatSeconds(entry.ttl)} · {formatBytes(entry.size)}
        </>
      }
      actions={
        <ConfirmButton
          leftSection={<IconTrash size={14} />}
          disabled={userKey === undefined}
          title={`Delete the key “${userKey ?? entry.key}”?`}
          message={`It is removed from cache alias “${alias}” at once.`}
          confirmLabel="Delete key"
          onConfirm={remove}
        >
          Delete
        </ConfirmButton>
      }
    >
      {userKey === undefined ? (
        <Text size="sm" c="dimmed">
          This key was not written through this alias's prefix and version, so it cannot be read here.
        </Text>
      ) : value.isPending ? (
        <Loader size="sm" aria-label="Reading the value" />
      ) : value.isError ? (
        <ErrorAlert error={value.error} title="Could not read the value" />
      ) : value.data.found ? (
        <CodeBlock label="Value">{JSON.stringify(value.data.value, null, 2) ?? 'undefined'}</CodeBlock>
      ) : (
        <Text size="sm" c="dimmed">
          Not found: it expired or was deleted since the list was loaded.
        </Text>
      )}
    </ItemPanel>
  )
}
