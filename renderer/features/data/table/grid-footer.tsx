import { Group, Loader, Text } from '@mantine/core'
import { PAGE_SIZE } from './use-table-pages'

interface GridFooterProps {
  empty: boolean
  filtered: boolean
  readOnly: boolean
  loadingMore: boolean
  hasMore: boolean
}

/** Under the last row: what an empty table offers, the next page loading, or the end. */
export function GridFooter({ empty, filtered, readOnly, loadingMore, hasMore }: GridFooterProps) {
  if (empty) {
    return (
      <Text size="xs" c="dimmed">
        {filtered ? 'No row matches the filters.' : readOnly ? 'The table is empty.' : 'The table is empty. Add a row, or import a CSV file.'}
      </Text>
    )
  }
  if (loadingMore) {
    return (
      <Group gap={6}>
        <Loader size={10} />
        <Text size="xs">Loading the next {PAGE_SIZE} rows…</Text>
      </Group>
    )
  }
  return <Text size="xs">{hasMore ? 'More rows load as you scroll.' : 'End of the table.'}</Text>
}
