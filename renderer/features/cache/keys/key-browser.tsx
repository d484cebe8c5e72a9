import { ActionIcon, Button, Code, Group, Loader, SegmentedControl, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconList, IconListTree, IconPlus, IconRefresh, IconSearch, IconX } from '@tabler/icons-react'
import { useRef, useState, type RefObject } from 'react'
import { ApiError } from '../../../api/api-error'
import { EmptyMessage } from '../../../components/empty-message'
import { ErrorAlert } from '../../../components/error-alert'
import { LoadMoreFooter } from '../../../components/load-more-footer'
import { useRowKeys } from '../../../components/use-row-keys'
import { ErrorCode } from '../../../../main/api/contract'
import { BulkDeleteButton } from './bulk-delete-button'
import { sharedPrefix } from './cache-entry'
import { FlushButton } from './flush-button'
import { KeyList } from './key-list'
import { KeyLookup, type KeyTarget } from './key-lookup'
import { KeyTree } from './key-tree'
import { CreateTableButton, isMissingTable } from './missing-table'
import { useKeyScan, type ListedEntry } from './use-key-scan'

interface KeyBrowserProps {
  alias: string
  openKey: string | null
  onOpen: (target: KeyTarget) => void
  onDelete: (entry: ListedEntry) => void
  onNewKey: () => void
  /** After a bulk delete or a flush: what was open may be gone. */
  onKeysGone: () => void
  patternInput: RefObject<HTMLInputElement | null>
}

const targetOf = (entry: ListedEntry): KeyTarget => ({ key: entry.key, userKey: entry.userKey, version: entry.version, listed: entry })

/**
 * The keys of an alias by pattern (as the application wrote them, or as stored), a SCAN page at a
 * time, as a list or a tree. Arrow keys move, Enter opens, Delete asks to delete.
 */
export function KeyBrowser({ alias, openKey, onOpen, onDelete, onNewKey, onKeysGone, patternInput }: KeyBrowserProps) {
  const [pattern, setPattern] = useState('')
  const [raw, setRaw] = useState(false)
  const [view, setView] = useState<'list' | 'tree'>('list')
  const [debounced] = useDebouncedValue(pattern.trim() || '*', 300)
  const { scan, entries, loadMore, stillLooking } = useKeyScan(alias, debounced, raw)
  const [activeKey, setActiveKey] = useState<string | null>(null)
  const listBox = useRef<HTMLDivElement>(null)
  const prefix = raw ? undefined : sharedPrefix(entries)

  // The list's keys (the tree has its own); Delete asks to delete the key the arrows are at.
  const rowKeys = useRowKeys<ListedEntry>({
    box: listBox,
    rows: entries,
    rowKey: (entry) => entry.key,
    activeKey,
    onActivate: (entry) => setActiveKey(entry.key),
    rowActions: { Delete: onDelete },
    anywhereInBox: true,
  })

  const error = scan.error
  const code = error ? ApiError.from(error).code : undefined
  // Memcached cannot list at all (whatever the pattern); the file cache lists only with '*' (its hint says so).
  const unsupported = code === ErrorCode.E_UNSUPPORTED && entries.length === 0
  const cannotList = unsupported && (debounced === '*' || /cannot list/i.test(ApiError.from(error).message))
  const missingTable = error !== null && isMissingTable(error)

  const retry = () => void (scan.isFetchNextPageError ? scan.fetchNextPage() : scan.refetch())
  return (
    <Stack gap={6}>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          ref={patternInput}
          style={{ flex: 1 }}
          label="Pattern"
          placeholder="session:*"
          description={`Glob over ${raw ? 'stored keys (prefix:version:key)' : "the application's keys"}: * any characters, ? one. Press / to come here.`}
          leftSection={<IconSearch size={14} />}
          rightSection={
            pattern ? (
              <ActionIcon size="sm" variant="subtle" color="gray" aria-label="Clear the pattern" onClick={() => setPattern('')}>
                <IconX size={12} />
              </ActionIcon>
            ) : scan.isFetching ? (
              <Loader size={14} aria-label="Scanning" />
            ) : null
          }
          value={pattern}
          onChange={(event) => setPattern(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' && entries.length > 0) {
              event.preventDefault()
              setActiveKey(entries[0]!.key)
              requestAnimationFrame(() => (listBox.current?.querySelector<HTMLElement>('[role="row"][aria-selected="true"], [role="tree"]'))?.focus())
            } else if (event.key === 'Escape') setPattern('')
          }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Tooltip label="List the keys again">
          <ActionIcon variant="default" size="lg" mb={2} aria-label="Refresh the keys" onClick={() => void scan.refetch()}>
            <IconRefresh size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <Switch size="xs" label="Match stored keys" checked={raw} onChange={(event) => setRaw(event.currentTarget.checked)} />
          <SegmentedControl
            size="xs"
            value={view}
            onChange={(value) => setView(value as 'list' | 'tree')}
            aria-label="Show the keys as"
            data={[
              { value: 'list', label: <Group gap={4} wrap="nowrap"><IconList size={12} /> List</Group> },
              { value: 'tree', label: <Group gap={4} wrap="nowrap"><IconListTree size={12} /> Tree</Group> },
            ]}
          />
        </Group>
        <Group gap="xs">
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={onNewKey}>
            New key
          </Button>
          <BulkDeleteButton alias={alias} pattern={pattern.trim() || '*'} raw={raw} onDeleted={onKeysGone} />
          <FlushButton alias={alias} onFlushed={onKeysGone} />
        </Group>
      </Group>

      {cannotList ? (
        <KeyLookup alias={alias} reason={ApiError.from(error).message} onOpen={onOpen} />
      ) : (
        error && (
          <ErrorAlert
            error={error}
            title={scan.isFetchNextPageError ? 'Could not list more keys' : 'Could not list the keys'}
            actions={
              <>
                {missingTable && <CreateTableButton alias={alias} onCreated={() => void scan.refetch()} />}
                {unsupported && debounced !== '*' && (
                  <Button size="xs" variant="default" onClick={() => setPattern('')}>
                    List every key (*)
                  </Button>
                )}
                <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={retry}>
                  Retry
                </Button>
              </>
            }
          />
        )
      )}
      {unsupported && !cannotList && <KeyLookup alias={alias} onOpen={onOpen} />}
      {view === 'tree' && prefix !== undefined && entries.length > 0 && (
        <Text size="xs" c="dimmed">
          Prefix <Code fz={10}>{prefix === '' ? '(empty)' : prefix}</Code> · the application's keys split on “:”
        </Text>
      )}
      {scan.isPending && (
        <Group gap={6} p="xs">
          <Loader size={12} aria-label="Listing the keys" />
          <Text size="xs" c="dimmed">
            Listing the keys…
          </Text>
        </Group>
      )}
      {scan.isSuccess && !scan.isError && entries.length === 0 && !stillLooking && (
        <EmptyMessage
          title={debounced === '*' ? 'This cache is empty' : `No keys match ${debounced}`}
          actions={
            scan.hasNextPage ? (
              <Button size="xs" variant="default" onClick={loadMore}>
                Keep looking
              </Button>
            ) : undefined
          }
        >
          {debounced === '*' ? 'Store a key with “New key”, or let the application write some.' : scan.hasNextPage ? 'None among the keys looked at so far; the scan can go on.' : 'Try a wider pattern, such as *.'}
        </EmptyMessage>
      )}
      {entries.length > 0 && (
        <div
          ref={listBox}
          onKeyDown={view === 'list' ? rowKeys.onKeyDown : undefined}
          onFocus={view === 'list' ? rowKeys.onFocus : undefined}
        >
          {view === 'list' ? (
            <KeyList entries={entries} activeKey={activeKey ?? openKey} prefix={prefix} onActivate={(e) => setActiveKey(e.key)} onOpen={(e) => onOpen(targetOf(e))} onEndReached={loadMore} stored={raw} />
          ) : (
            <KeyTree
              entries={entries}
              activeKey={activeKey ?? openKey}
              openKey={openKey}
              onActivate={(e) => setActiveKey(e.key)}
              onOpen={(e) => onOpen(targetOf(e))}
              onDelete={onDelete}
              onEndReached={loadMore}
              stored={raw}
            />
          )}
          <LoadMoreFooter count={entries.length} noun="key" hasMore={scan.hasNextPage} loading={scan.isFetchingNextPage} onLoadMore={loadMore} />
        </div>
      )}
    </Stack>
  )
}
