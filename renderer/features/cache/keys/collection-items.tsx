import { Stack, Text } from '@mantine/core'
import { VirtualTable, type VirtualColumn } from '../../../components/virtual-table/virtual-table'
import type { CacheEntryDetail } from './cache-entry'
import { readableValue } from './readable-value'

type Item = NonNullable<CacheEntryDetail['items']>[number]
const NOUNS: Record<string, string> = { hash: 'fields', list: 'elements', set: 'members', zset: 'members', stream: 'entries' }

function cell(value: unknown): string {
  return typeof value === 'string' ? value : readableValue(value).replace(/\s*\n\s*/g, ' ')
}

/** A Redis hash, list, set, sorted set or stream as a table of its first items, with how many it has. */
export function CollectionItems({ type, items, itemCount }: { type: CacheEntryDetail['type']; items: readonly Item[]; itemCount: number | undefined }) {
  const first: VirtualColumn<Item>[] =
    type === 'hash'
      ? [{ id: 'field', header: 'Field', width: 180, monospace: true, render: (item) => item.field ?? '', title: (item) => item.field }]
      : type === 'zset'
        ? [{ id: 'score', header: 'Score', width: 100, align: 'right', monospace: true, render: (item) => item.score ?? '' }]
        : type === 'stream'
          ? [{ id: 'id', header: 'ID', width: 170, monospace: true, render: (item) => item.field ?? '' }]
          : type === 'list'
            ? [{ id: 'index', header: '#', width: 56, align: 'right', monospace: true, render: (_item, index) => index }]
            : []
  const noun = NOUNS[type] ?? 'items'
  const total = itemCount ?? items.length
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" aria-label="Item count">
        {total.toLocaleString('en')} {noun}
        {items.length < total ? ` · the first ${items.length.toLocaleString('en')} shown` : ''}
      </Text>
      <VirtualTable
        aria-label="Items"
        rows={items}
        rowKey={(item, index) => `${index}:${item.field ?? ''}`}
        maxHeight={420}
        resizable
        columns={[...first, { id: 'value', header: type === 'set' || type === 'zset' ? 'Member' : 'Value', width: 240, grow: true, monospace: true, render: (item) => cell(item.value), title: (item) => cell(item.value) }]}
      />
    </Stack>
  )
}
