import { Anchor, Button, Collapse, Group, Loader, Stack, Text } from '@mantine/core'
import { IconCode } from '@tabler/icons-react'
import { useState } from 'react'
import { CodeBlock } from '../../../components/code-block'
import { formatMs } from '../../../components/format'
import { formatEstimate } from '../tree/tree-row'
import type { TablePage } from './table-ref'

interface TableStatusProps {
  loaded: number
  hasMore: boolean
  filtered: boolean
  estimate: number | undefined
  loading: boolean
  loadingMore: boolean
  onCancel: () => void
  onLoadMore: () => void
  last: TablePage | undefined
  pendingText: string
}

/** "400 rows loaded · more", the estimate, what is pending, and the SQL the last page ran. */
export function TableStatus({ loaded, hasMore, filtered, estimate, loading, loadingMore, onCancel, onLoadMore, last, pendingText }: TableStatusProps) {
  const [showSql, setShowSql] = useState(false)
  const count = loaded.toLocaleString('en')
  return (
    <Stack gap={4}>
      <Group gap="sm" justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Text size="xs" fw={600} aria-label="Rows loaded" aria-live="polite">
            {hasMore ? `${count} rows loaded · more` : filtered ? `${count} ${loaded === 1 ? 'row matches' : 'rows match'}` : `${count} ${loaded === 1 ? 'row' : 'rows'}`}
          </Text>
          {hasMore && !loadingMore && (
            <Anchor component="button" size="xs" onClick={onLoadMore}>
              load more
            </Anchor>
          )}
          {estimate !== undefined && !filtered && hasMore && (
            <Text size="xs" c="dimmed" title={`The server estimates ${estimate.toLocaleString('en')} rows (statistics, not a count)`}>
              ≈{formatEstimate(estimate)} in the table
            </Text>
          )}
          {(loading || loadingMore) && (
            <Group gap={4} wrap="nowrap">
              <Loader size={10} aria-label="Loading rows" />
              <Anchor component="button" size="xs" c="dimmed" onClick={onCancel}>
                cancel
              </Anchor>
            </Group>
          )}
          {last && (
            <Text size="xs" c="dimmed">
              {formatMs(last.durationMs)} · {last.paging === 'keyset' ? 'keyset paging' : 'offset paging'}
            </Text>
          )}
          {pendingText && (
            <Text size="xs" c="orange" fw={600} aria-label="Pending changes">
              {pendingText}
            </Text>
          )}
        </Group>
        <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconCode size={12} />} onClick={() => setShowSql((v) => !v)} aria-expanded={showSql} disabled={!last}>
          SQL
        </Button>
      </Group>
      <Collapse expanded={showSql && last !== undefined}>
        {last && (
          <Stack gap={4}>
            <CodeBlock label="Page SQL" maxHeight={140}>
              {last.sql}
            </CodeBlock>
            <Text size="xs" c="dimmed" ff="monospace" aria-label="Page parameters">
              params: {JSON.stringify(last.params)}
            </Text>
          </Stack>
        )}
      </Collapse>
    </Stack>
  )
}
