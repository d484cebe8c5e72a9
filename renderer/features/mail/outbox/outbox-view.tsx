import { Box, Center, Loader, Splitter, Stack } from '@mantine/core'
import { useDebouncedValue, type UseSplitterReturnValue } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { MessageDetailView, MessageSummaryView } from '../../../../main/api/contract'
import { ApiError } from '../../../api/api-error'
import { useApiClient, useApiQuery } from '../../../api/hooks'
import { ConfirmDialog } from '../../../components/confirm-dialog'
import { ErrorAlert } from '../../../components/error-alert'
import { useFillHeight } from '../../../components/use-fill-height'
import type { PreviewWidth } from '../message/html-preview'
import { MessageView, type MessageTab } from '../message/message-view'
import { CaptureStateAlert } from './capture-state-alert'
import { MessageList } from './message-list'
import { markReadInCache } from './outbox-cache'
import { NoMailYet, NoSearchResults } from './outbox-empty'
import { OutboxToolbar } from './outbox-toolbar'
import { useOutboxKeys } from './use-outbox-keys'
import { useOutboxMessages } from './use-outbox-messages'
import { ErrorCode } from '../../../../main/api/contract'

type Deletable = Pick<MessageSummaryView, 'id' | 'subject'>

/**
 * The outbox as a mail client: list on the left, the open message on the right. The selection (moved
 * with j/k) and the open message are two things, so moving through the list reads nothing; opening
 * marks read. Live events refresh the list in place (use-live-updates), keeping both by id.
 */
interface OutboxViewProps {
  onOpenCaptureSettings: () => void
  /** A message to open now (from the address, where a notification leads), then forgotten with onMessageOpened. */
  openMessage?: number | null
  onMessageOpened?: () => void
}

export function OutboxView({ onOpenCaptureSettings, openMessage = null, onMessageOpened }: OutboxViewProps) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const [query, setQuery] = useState('')
  const [debounced] = useDebouncedValue(query.trim(), 200)
  const [mailbox, setMailbox] = useState<string | null>(null)
  const [cursor, setCursor] = useState<number | null>(null)
  const [openId, setOpenId] = useState<number | null>(null)
  const [tab, setTab] = useState<MessageTab>('html')
  const [previewWidth, setPreviewWidth] = useState<PreviewWidth>('desktop')
  const [toDelete, setToDelete] = useState<Deletable | null>(null)
  const listPane = useRef<HTMLDivElement>(null)
  const splitter = useRef<UseSplitterReturnValue | null>(null)
  const { ref: area, height } = useFillHeight<HTMLDivElement>()

  const counts = useApiQuery('outbox.counts', {})
  const status = useApiQuery('outbox.status', {})
  const { list, messages, total, totalExact, loadMore } = useOutboxMessages(debounced, mailbox)
  const searchError = list.isError && list.error.code === ErrorCode.E_INVALID_QUERY ? [list.error.message, list.error.hint].filter(Boolean).join(' ') : undefined

  const indexOf = (id: number | null) => (id === null ? -1 : messages.findIndex((m) => m.id === id))

  const setRead = async (ids: number[], read: boolean) => {
    markReadInCache(queryClient, ids, read)
    try {
      await client.call('outbox.markRead', { ids, read })
    } catch (error) {
      // The cache was changed ahead of the server: ask it what is true, and say what failed.
      void queryClient.invalidateQueries({ queryKey: ['outbox.list'] })
      notifications.show({ color: 'red', title: `Could not mark the message ${read ? 'read' : 'unread'}`, message: ApiError.from(error).message })
    }
  }

  const open = (message: MessageSummaryView) => {
    setCursor(message.id)
    setOpenId(message.id)
    if (!message.isRead) void setRead([message.id], true)
  }

  // Opened from a notification: show it (adjusted while rendering, as React advises for a prop that
  // changes state) and mark it read, as a click in the list would.
  const [askedFor, setAskedFor] = useState<number | null>(null)
  if (openMessage !== askedFor) {
    // Null again once handled, so the same message can be asked for a second time.
    setAskedFor(openMessage)
    if (openMessage !== null) {
      setCursor(openMessage)
      setOpenId(openMessage)
    }
  }
  useEffect(() => {
    if (openMessage === null) return
    void setRead([openMessage], true)
    onMessageOpened?.()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per message asked for
  }, [openMessage])

  const toggleRead = (message: Pick<MessageSummaryView, 'id' | 'isRead'>) => void setRead([message.id], !message.isRead)

  const deleteOne = async (message: Deletable) => {
    const index = indexOf(message.id)
    await client.call('outbox.delete', { ids: [message.id] })
    // The selection moves to the next message (the one that takes the deleted one's place).
    const next = messages[index + 1] ?? messages[index - 1]
    if (cursor === message.id) setCursor(next?.id ?? null)
    if (openId === message.id) setOpenId(null)
  }

  const deleteAll = async () => {
    await client.call('outbox.delete', { ids: 'all', ...(mailbox === null ? {} : { mailbox }) })
    setCursor(null)
    setOpenId(null)
  }

  useOutboxKeys(
    {
      move: (step) => {
        if (messages.length === 0) return
        const index = indexOf(cursor)
        const next = index === -1 ? 0 : Math.min(messages.length - 1, Math.max(0, index + step))
        setCursor(messages[next]!.id)
        if (next >= messages.length - 5) loadMore()
      },
      open: () => {
        const message = messages[indexOf(cursor)]
        if (message) open(message)
      },
      remove: () => {
        const message = messages[indexOf(cursor)] ?? messages[indexOf(openId)]
        if (message) setToDelete(message)
      },
      toggleRead: () => {
        const message = messages[indexOf(cursor)] ?? messages[indexOf(openId)]
        if (message) toggleRead(message)
      },
    },
    listPane,
  )

  // Nothing open: the message pane folds away and the list takes the whole width, so subjects are read
  // in full; opening a message unfolds it (the list, still mounted, keeps its scroll position).
  const nothingOpen = openId === null
  const nothingAtAll = list.isSuccess && messages.length === 0 && debounced === '' && !list.isPlaceholderData
  // Also when the splitter itself appears (the first message of an empty outbox): it mounts unfolded.
  useEffect(() => {
    if (nothingOpen) splitter.current?.collapse(1)
    else splitter.current?.expand(1)
  }, [nothingOpen, nothingAtAll])

  return (
    <Stack gap={0}>
      {status.data && status.data.state !== 'running' && (
        <Box mb="xs">
          <CaptureStateAlert status={status.data} onOpenSettings={onOpenCaptureSettings} />
        </Box>
      )}
      <OutboxToolbar
        query={query}
        onQueryChange={setQuery}
        searchError={searchError}
        counts={counts.data}
        mailbox={mailbox}
        onMailboxChange={(next) => {
          setMailbox(next)
          setCursor(null)
        }}
        shown={list.data ? { total, exact: totalExact } : undefined}
        loading={list.isFetching}
        onMarkAllRead={() => client.call('outbox.markRead', { ids: 'all', read: true, ...(mailbox === null ? {} : { mailbox }) })}
        onDeleteAll={deleteAll}
      />
      <div ref={area} style={{ height }}>
        {nothingAtAll ? (
          <NoMailYet status={status.data} />
        ) : (
          <Splitter h="100%" aria-label="Outbox" splitterRef={splitter}>
            <Splitter.Pane defaultSize="60%" min="30%">
              <div ref={listPane} style={{ height: '100%', paddingRight: 6 }} aria-label="Message list">
                {list.isPending ? (
                  <Center py="xl">
                    <Loader size="sm" aria-label="Loading messages" />
                  </Center>
                ) : list.isError && !searchError ? (
                  <ErrorAlert error={list.error} title="Could not list the messages" />
                ) : messages.length === 0 && debounced !== '' && !searchError ? (
                  <NoSearchResults query={debounced} onClear={() => setQuery('')} />
                ) : (
                  <MessageList messages={messages} cursor={cursor} openId={openId} onOpen={open} onEndReached={loadMore} />
                )}
              </div>
            </Splitter.Pane>
            <Splitter.Pane defaultSize="40%" min="20%" collapsible>
              <Box h="100%" pl="sm" style={{ overflow: 'auto' }}>
                {openId !== null && (
                  <MessageView
                    id={openId}
                    tab={tab}
                    onTabChange={setTab}
                    previewWidth={previewWidth}
                    onPreviewWidthChange={setPreviewWidth}
                    onToggleRead={(message: MessageDetailView) => toggleRead(message)}
                    onDelete={(message) => setToDelete(message)}
                  />
                )}
              </Box>
            </Splitter.Pane>
          </Splitter>
        )}
      </div>
      <ConfirmDialog
        opened={toDelete !== null}
        onClose={() => setToDelete(null)}
        title={`Delete “${toDelete?.subject || '(no subject)'}”?`}
        message="It is removed from the outbox for good. This cannot be undone."
        confirmLabel="Delete"
        onConfirm={() => toDelete && deleteOne(toDelete)}
      />
    </Stack>
  )
}

