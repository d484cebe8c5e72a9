import { Button, Group, Text } from '@mantine/core'

interface LoadMoreFooterProps {
  count: number
  /** What is counted, plural: "keys", "entries". */
  noun: string
  hasMore: boolean
  loading: boolean
  onLoadMore: () => void
}

/** Under a paged list: how many are shown and, while the server has more, a button for the next page. */
export function LoadMoreFooter({ count, noun, hasMore, loading, onLoadMore }: LoadMoreFooterProps) {
  return (
    <Group justify="space-between" mt={4}>
      <Text size="xs" c="dimmed">
        {count.toLocaleString()} {noun}
        {hasMore ? ' so far' : ''}
      </Text>
      {hasMore && (
        <Button variant="default" onClick={onLoadMore} loading={loading}>
          Load more
        </Button>
      )}
    </Group>
  )
}
