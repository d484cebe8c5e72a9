import { Badge, Center, Loader, Stack, Tabs } from '@mantine/core'
import { useMemo } from 'react'
import type { MessageDetailView } from '../../../../main/api/contract'
import { useApiQuery } from '../../../api/hooks'
import { EmptyMessage } from '../../../components/empty-message'
import { ErrorAlert } from '../../../components/error-alert'
import { AttachmentTable } from './attachment-table'
import { HeadersTable } from './headers-table'
import { HtmlPreview, type PreviewWidth } from './html-preview'
import { inspectHtml, linksInText } from './html-inspection'
import { LinkList } from './link-list'
import { MessageActions } from './message-actions'
import { MessageHeader } from './message-header'
import { RawSource } from './raw-source'
import { TextBody } from './text-body'
import { ErrorCode } from '../../../../main/api/contract'

export type MessageTab = 'html' | 'text' | 'headers' | 'raw' | 'attachments' | 'links'

interface MessageViewProps {
  id: number
  /** The tab last chosen; kept from message to message, falling back where a message has no HTML. */
  tab: MessageTab
  onTabChange: (tab: MessageTab) => void
  previewWidth: PreviewWidth
  onPreviewWidthChange: (width: PreviewWidth) => void
  onToggleRead: (message: MessageDetailView) => void
  onDelete: (message: MessageDetailView) => void
}

/** One message: who, what, and its HTML, text, headers, raw source, attachments and links a click apart. */
export function MessageView(props: MessageViewProps) {
  // Reading is marked by the list when the message is opened, not here: a refetch of a message
  // the user just marked unread must not mark it read again.
  const detail = useApiQuery('outbox.get', { id: props.id, markRead: false })
  if (detail.isPending) {
    return (
      <Center py="xl">
        <Loader size="sm" aria-label="Loading the message" />
      </Center>
    )
  }
  if (detail.isError) {
    if (detail.error.code === ErrorCode.E_NOT_FOUND) return <EmptyMessage title="This message is no longer in the outbox">It was deleted, or retention removed it.</EmptyMessage>
    return <ErrorAlert error={detail.error} title="Could not open the message" />
  }
  return <LoadedMessage {...props} message={detail.data} />
}

function LoadedMessage({ message, tab, onTabChange, previewWidth, onPreviewWidthChange, onToggleRead, onDelete }: MessageViewProps & { message: MessageDetailView }) {
  const inspection = useMemo(() => (message.html ? inspectHtml(message.html) : { links: linksInText(message.text ?? ''), remoteResources: [] }), [message.html, message.text])
  const hasHtml = message.html !== null && message.html !== ''
  const shown: MessageTab = tab === 'html' && !hasHtml ? 'text' : tab
  const count = (n: number) =>
    n > 0 ? (
      <Badge size="xs" variant="light" circle={n < 10}>
        {n}
      </Badge>
    ) : undefined
  return (
    <Stack gap="xs" mih="100%" component="article" aria-label="Message">
      <MessageHeader message={message} />
      <MessageActions message={message} onToggleRead={() => onToggleRead(message)} onDelete={() => onDelete(message)} />
      <Tabs
        value={shown}
        onChange={(value) => value && onTabChange(value as MessageTab)}
        keepMounted={false}
        style={{ flex: 1, display: 'flex', flexDirection: 'column' }}
        styles={{ tab: { padding: '6px 10px', fontSize: 'var(--mantine-font-size-sm)' } }}
      >
        <Tabs.List>
          <Tabs.Tab value="html" disabled={!hasHtml}>
            HTML
          </Tabs.Tab>
          <Tabs.Tab value="text">Text</Tabs.Tab>
          <Tabs.Tab value="headers">Headers</Tabs.Tab>
          <Tabs.Tab value="raw">Raw</Tabs.Tab>
          <Tabs.Tab value="attachments" rightSection={count(message.attachmentList.length)}>
            Attachments
          </Tabs.Tab>
          <Tabs.Tab value="links" rightSection={count(inspection.links.length)}>
            Links
          </Tabs.Tab>
        </Tabs.List>
        {/* At least room for a readable preview; on a short window the whole pane scrolls instead. */}
        <div style={{ flex: 1, minHeight: 320, overflow: shown === 'html' ? 'hidden' : 'auto', paddingTop: 8 }}>
          <Tabs.Panel value="html" h="100%">
            <HtmlPreview key={message.id} id={message.id} remoteResources={inspection.remoteResources} width={previewWidth} onWidthChange={onPreviewWidthChange} />
          </Tabs.Panel>
          <Tabs.Panel value="text">
            <TextBody text={message.text} />
          </Tabs.Panel>
          <Tabs.Panel value="headers">
            <HeadersTable headers={message.headers} />
          </Tabs.Panel>
          <Tabs.Panel value="raw">
            <RawSource id={message.id} />
          </Tabs.Panel>
          <Tabs.Panel value="attachments">
            <AttachmentTable id={message.id} attachments={message.attachmentList} />
          </Tabs.Panel>
          <Tabs.Panel value="links">
            <LinkList links={inspection.links} />
          </Tabs.Panel>
        </div>
      </Tabs>
    </Stack>
  )
}
