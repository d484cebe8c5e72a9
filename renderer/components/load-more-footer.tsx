import { Button, Group, Text } from '@mantine/core'
import { countOf } from '../../main/api/contract'

interface LoadMoreFooterProps {
  count: number
  /** What is counted, singular: "key", "entry". */
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
        {countOf(count, noun)}
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
