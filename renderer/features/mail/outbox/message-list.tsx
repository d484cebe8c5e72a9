import { Tooltip } from '@mantine/core'
import { IconAlertTriangle, IconPaperclip } from '@tabler/icons-react'
import type { MessageSummaryView } from '../../../../main/api/contract'
import { formatBytes } from '../../../components/format'
import { RelativeTime } from '../../../components/relative-time'
import { VirtualTable, type VirtualColumn } from '../../../components/virtual-table/virtual-table'
import { shortAddress, shortAddresses } from './list-format'
import classes from './message-list.module.css'

const recipients = (m: MessageSummaryView) => (m.to.length > 0 ? m.to : m.envelopeTo)

const COLUMNS: VirtualColumn<MessageSummaryView>[] = [
  {
    id: 'unread',
    header: '',
    width: 20,
    render: (m) => (m.isRead ? null : <span className={classes.dot} role="img" aria-label="unread" />),
  },
  { id: 'from', header: 'From', width: 116, render: (m) => shortAddress(m.from || m.envelopeFrom), title: (m) => m.from || m.envelopeFrom },
  {
    id: 'to',
    header: 'To',
    width: 106,
    render: (m) => shortAddresses(recipients(m)),
    title: (m) => [...recipients(m), ...m.cc.map((cc) => `Cc: ${cc}`)].join('\n'),
  },
  {
    id: 'subject',
    header: 'Subject',
    width: 132,
    grow: true,
    render: (m) => (
      <>
        {m.parseWarning && (
          <Tooltip label={m.parseWarning}>
            <IconAlertTriangle size={12} color="var(--mantine-color-orange-filled)" aria-label="Parse warning" style={{ marginRight: 4, verticalAlign: -1 }} />
          </Tooltip>
        )}
        {m.subject || '(no subject)'}
      </>
    ),
    title: (m) => (m.snippet ? `${m.subject}\n\n${m.snippet}` : m.subject),
  },
  { id: 'received', header: 'Received', width: 80, render: (m) => <RelativeTime iso={m.receivedAt} narrow /> },
  {
    // Size and paperclip share a column: the room goes to the subject.
    id: 'size',
    header: 'Size',
    width: 76,
    align: 'right',
    render: (m) => (
      <>
        {m.attachments > 0 && <IconPaperclip size={12} role="img" aria-label={`${m.attachments} attachment${m.attachments === 1 ? '' : 's'}`} style={{ marginRight: 4, verticalAlign: -1 }} />}
        {formatBytes(m.size)}
      </>
    ),
  },
]

interface MessageListProps {
  messages: readonly MessageSummaryView[]
  cursor: number | null
  openId: number | null
  onOpen: (message: MessageSummaryView) => void
  onEndReached: () => void
}

/** The outbox as a mail client lists it: unread in bold with a dot, newest first, paged as it scrolls. */
export function MessageList({ messages, cursor, openId, onOpen, onEndReached }: MessageListProps) {
  return (
    <VirtualTable
      fill
      keepScrollAnchor
      aria-label="Messages"
      rows={messages}
      columns={COLUMNS}
      rowKey={rowKey}
      rowHeight={30}
      selectedKey={cursor === null ? null : String(cursor)}
      onRowClick={onOpen}
      onEndReached={onEndReached}
      rowClassName={(m) => [m.isRead ? '' : classes.unread, m.id === openId ? classes.open : ''].join(' ')}
    />
  )
}

function rowKey(message: MessageSummaryView): string {
  return String(message.id)
}
