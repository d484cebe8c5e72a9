import { Code, Text } from '@mantine/core'
import { formatBytes } from '../../../components/format'
import { VirtualTable } from '../../../components/virtual-table/virtual-table'
import { EntryTypeBadge } from './entry-type-badge'
import { shownKey } from './key-tree-model'
import { formatTtl, ttlLeft, useNow } from './ttl-text'
import type { ListedEntry } from './use-key-scan'

interface KeyListProps {
  entries: readonly ListedEntry[]
  /** The key the arrow keys point at (highlighted). */
  activeKey: string | null
  prefix: string | undefined
  onActivate: (entry: ListedEntry) => void
  onOpen: (entry: ListedEntry) => void
  onEndReached: () => void
  /** Show the keys as stored (prefix:version:key) instead of the application's. */
  stored: boolean
}

/** The keys as a flat virtualized table: the application's key, its version, type, TTL ticking down, size. */
export function KeyList({ entries, activeKey, prefix, onActivate, onOpen, onEndReached, stored }: KeyListProps) {
  const now = useNow()
  return (
    <VirtualTable
      aria-label="Cache keys"
      maxHeight="calc(100vh - 330px)"
      rows={entries}
      rowKey={(entry) => entry.key}
      selectedKey={activeKey}
      onRowClick={(entry) => {
        onActivate(entry)
        onOpen(entry)
      }}
      onEndReached={onEndReached}
      resizable
      columns={[
        {
          id: 'key',
          header:
            prefix === undefined ? (
              stored ? 'Stored key' : 'Key'
            ) : (
              <>
                Key{' '}
                <Text span size="xs" c="dimmed" fw={400}>
                  prefix <Code fz={10}>{prefix === '' ? '(empty)' : prefix}</Code>
                </Text>
              </>
            ),
          width: 220,
          grow: true,
          monospace: true,
          render: (e) => shownKey(e, stored),
          title: (e) => e.key,
        },
        { id: 'version', header: 'Ver.', width: 48, align: 'right', monospace: true, render: (e) => e.version ?? '' },
        { id: 'type', header: 'Type', width: 84, render: (e) => <EntryTypeBadge type={e.type} /> },
        { id: 'ttl', header: 'TTL', width: 84, align: 'right', render: (e) => formatTtl(ttlLeft(e.ttl, e.fetchedAt, now)) },
        { id: 'size', header: 'Size', width: 76, align: 'right', render: (e) => formatBytes(e.size) },
      ]}
    />
  )
}
