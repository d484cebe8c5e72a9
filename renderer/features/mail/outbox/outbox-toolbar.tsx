import { Button, Group, Loader, Text } from '@mantine/core'
import { IconMailOpened, IconTrash } from '@tabler/icons-react'
import type { MethodOutput } from '../../../../main/api/contract'
import { ConfirmButton } from '../../../components/confirm-button'
import { formatTotal } from './list-format'
import { MailboxSelect } from './mailbox-select'
import { SearchBox } from './search-box'

interface OutboxToolbarProps {
  query: string
  onQueryChange: (query: string) => void
  searchError: string | undefined
  counts: MethodOutput<'outbox.counts'> | undefined
  mailbox: string | null
  onMailboxChange: (mailbox: string | null) => void
  /** What the list shows now (the search's total); undefined before the first answer. */
  shown: { total: number; exact: boolean } | undefined
  loading: boolean
  onMarkAllRead: () => unknown
  onDeleteAll: () => unknown
}

/** Search, mailbox, how many, and what acts on all of them at once. */
export function OutboxToolbar(props: OutboxToolbarProps) {
  const { query, onQueryChange, searchError, counts, mailbox, onMailboxChange, shown, loading, onMarkAllRead, onDeleteAll } = props
  const scope = mailbox === null ? counts : counts?.mailboxes.find((m) => m.mailbox === mailbox)
  const all = scope?.total ?? 0
  const unread = scope?.unread ?? 0
  const where = mailbox === null ? 'the outbox' : `mailbox “${mailbox}”`
  return (
    <Group gap="xs" mb="xs" align="flex-start" wrap="wrap">
      <SearchBox value={query} onChange={onQueryChange} error={searchError} />
      {counts && counts.mailboxes.length > 1 && <MailboxSelect mailboxes={counts.mailboxes} value={mailbox} onChange={onMailboxChange} />}
      <Group gap={6} h={36} wrap="nowrap">
        {loading && <Loader size={14} aria-label="Loading messages" />}
        <Text size="sm" c="dimmed" aria-label="Message count" style={{ whiteSpace: 'nowrap' }}>
          {shown ? formatTotal(shown.total, shown.exact) : ''}
          {unread > 0 && !query ? ` · ${unread} unread` : ''}
        </Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        <Button variant="default" leftSection={<IconMailOpened size={14} />} disabled={unread === 0} onClick={() => void onMarkAllRead()}>
          Mark all read
        </Button>
        <ConfirmButton
          leftSection={<IconTrash size={14} />}
          disabled={all === 0}
          title={`Delete all ${all} message${all === 1 ? '' : 's'} in ${where}?`}
          message={query ? `All of them, also those the search “${query}” hides. This cannot be undone.` : 'They are removed for good. This cannot be undone.'}
          confirmLabel={`Delete ${all} message${all === 1 ? '' : 's'}`}
          onConfirm={onDeleteAll}
        >
          Delete all
        </ConfirmButton>
      </Group>
    </Group>
  )
}
