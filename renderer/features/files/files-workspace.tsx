import { Button, Grid, Group, Loader, Stack, Text } from '@mantine/core'
import { useLocalStorage } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconFilterOff, IconUpload } from '@tabler/icons-react'
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import { countOf } from '../../../main/api/contract'
import { ApiError } from '../../api/api-error'
import { useApiClient } from '../../api/hooks'
import { copyText } from '../../components/copy-text'
import { EmptyMessage } from '../../components/empty-message'
import { ErrorAlert } from '../../components/error-alert'
import { useFillHeight } from '../../components/use-fill-height'
import { useSlashFocus } from '../../components/use-slash-focus'
import { handleBrowserKey } from './browser-keys'
import { EntryGrid } from './entry-grid'
import { EntryList } from './entry-list'
import { EntryMenu, type EntryActions, type MenuPlace } from './entry-menu'
import { baseName, parentOf } from './entry-names'
import type { SortKey, SortOrder } from './entry-order'
import { EntryPanel } from './entry-panel'
import classes from './file-browser.module.css'
import { FilesDialogs, type FilesDialog } from './files-dialogs'
import { FilesToolbar, type ViewMode } from './files-toolbar'
import { PathBreadcrumbs } from './path-breadcrumbs'
import { keepPresent, NOTHING_SELECTED, pick, selectAll, type Selection } from './selection'
import { fileUrl, newTransferId, startDownload, zipUrl } from './storage-urls'
import { TransfersPanel } from './transfers-panel'
import type { Conflict, StorageEntry } from './types'
import { UploadInputs } from './upload-inputs'
import { useFolderListing } from './use-folder-listing'
import { useTransfers } from './use-transfers'
import { useEntryDrag } from './use-entry-drag'
import { useUploads } from './use-uploads'

/** Browse one storage alias like a file manager: folders, selection, previews, uploads and transfers. */
export function FilesWorkspace({ alias }: { alias: string }) {
  const client = useApiClient()
  const [path, setPath] = useState('')
  const [filter, setFilter] = useState('')
  const [order, setOrder] = useState<SortOrder>({ key: 'name', descending: false })
  const [view, setView] = useLocalStorage<ViewMode>({ key: 'backplane.files.view', defaultValue: 'list' })
  const [conflict, setConflict] = useLocalStorage<Conflict>({ key: 'backplane.files.conflict', defaultValue: 'rename' })
  const [chosen, setSelection] = useState<Selection>(NOTHING_SELECTED)
  const [dialog, setDialog] = useState<FilesDialog | null>(null)
  const [menu, setMenu] = useState<MenuPlace | null>(null)
  const [columns, setColumns] = useState(1)
  const listRef = useRef<HTMLDivElement>(null)
  const filterInput = useRef<HTMLInputElement>(null)
  const filesInput = useRef<HTMLInputElement>(null)
  const folderInput = useRef<HTMLInputElement>(null)
  const idPrefix = useId().replaceAll(':', '')
  const { ref: fillRef, height: fillHeight } = useFillHeight<HTMLDivElement>(24, 280)
  useSlashFocus(filterInput)

  const listing = useFolderListing(alias, path, order, filter)
  const { entries } = listing
  const names = useMemo(() => entries.map((entry) => entry.name), [entries])
  const byName = useMemo(() => new Map(entries.map((entry) => [entry.name, entry])), [entries])
  // A delete, a filter or a refresh took names away: the selection is what is still listed.
  const selection = useMemo(() => keepPresent(chosen, names), [chosen, names])
  const selected = useMemo(() => [...selection.selected].flatMap((name) => byName.get(name) ?? []), [selection, byName])
  const transfers = useTransfers()
  const uploads = useUploads(alias, path, conflict)
  const transferStarted = () => notifications.show({ message: 'Started: see Transfers for its progress', autoClose: 3000 })
  const drag = useEntryDrag({ alias, selection, conflict, onStarted: transferStarted })

  // The keys stay with the listing across folders: it is focused again once the new folder has loaded.
  const focusWhenListed = useRef(false)
  const navigate = useCallback((next: string) => {
    focusWhenListed.current = listRef.current !== null && listRef.current.contains(document.activeElement)
    setPath(next)
    setFilter('')
    setSelection(NOTHING_SELECTED)
  }, [])
  useEffect(() => {
    if (!focusWhenListed.current || listing.isPending || !listRef.current) return
    focusWhenListed.current = false
    listRef.current.focus()
  })
  const goUp = () => {
    if (!path) return
    const left = path
    navigate(parentOf(path))
    // Back in the parent, the folder just left is the one selected, as in Finder.
    setSelection(pick(NOTHING_SELECTED, left, [left]))
  }

  const download = (list: readonly StorageEntry[]) => {
    const [only] = list
    if (!only) return
    const transfer = newTransferId()
    if (list.length === 1 && only.type === 'file') startDownload(fileUrl(alias, only.name, { transfer }), baseName(only.name))
    else {
      const filename = `${list.length === 1 ? baseName(only.name) : baseName(path) || alias}.zip`
      startDownload(zipUrl(alias, list.map((entry) => entry.name), filename, transfer), filename)
    }
  }
  const open = (entry: StorageEntry) => (entry.type === 'dir' ? navigate(entry.name) : setDialog({ kind: 'preview', entry }))
  const copyLink = async (entry: StorageEntry) => {
    try {
      const { url } = await client.call('storage.url', { alias, name: entry.name })
      // Without a public base URL, Backplane's own route serves the file (to this browser, or with the token).
      const link = url ?? new URL(fileUrl(alias, entry.name), window.location.href).href
      await copyText(link)
      notifications.show({ message: url ? 'Public URL copied' : 'Backplane link copied (the alias has no public base URL)', color: 'teal', autoClose: 3000 })
    } catch (error) {
      notifications.show({ title: 'Could not copy the URL', message: ApiError.from(error).message, color: 'red' })
    }
  }
  const actions: EntryActions = {
    open,
    download,
    rename: (entry) => setDialog({ kind: 'rename', entry }),
    transfer: (kind, list) => setDialog({ kind, entries: list }),
    remove: (list) => list.length > 0 && setDialog({ kind: 'delete', entries: list }),
    copyLink: (entry) => void copyLink(entry),
    newFolder: () => setDialog({ kind: 'newFolder' }),
    uploadFiles: () => filesInput.current?.click(),
    uploadFolder: () => folderInput.current?.click(),
    selectAll: () => setSelection(selectAll(names)),
  }
  const openMenu = (entry: StorageEntry | null, x: number, y: number) => {
    if (entry && !selection.selected.has(entry.name)) setSelection(pick(selection, entry.name, names))
    setMenu({ x, y, entries: entry ? (selection.selected.has(entry.name) ? selected : [entry]) : [] })
  }
  const menuAtFocus = (name: string | null) => {
    const row = name === null ? null : listRef.current?.querySelector(`[aria-selected][aria-label="${CSS.escape(baseName(name))}"]`)
    const box = (row ?? listRef.current)?.getBoundingClientRect()
    const entry = name === null ? null : (byName.get(name) ?? null)
    openMenu(entry, box?.left ?? 0, box ? (row ? box.bottom : box.top + 40) : 0)
  }
  const entryOf = (name: string, then: (entry: StorageEntry) => void) => {
    const entry = byName.get(name)
    if (entry) then(entry)
  }
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) =>
    handleBrowserKey(event, {
      order: names,
      selection,
      columns,
      grid: view === 'grid',
      setSelection,
      open: (name) => entryOf(name, open),
      goUp,
      remove: (list) => actions.remove(list.flatMap((name) => byName.get(name) ?? [])),
      rename: (name) => entryOf(name, actions.rename),
      menu: menuAtFocus,
    })

  const viewProps = {
    alias,
    entries,
    selection,
    idPrefix,
    height: fillHeight,
    listRef,
    onKeyDown,
    onPick: (entry: StorageEntry, modifiers: Parameters<typeof pick>[3]) => setSelection(pick(selection, entry.name, names, modifiers)),
    onOpen: open,
    onMenu: openMenu,
    onEndReached: listing.loadMore,
    drag,
    label: `Files in ${alias}:/${path}`,
  }
  const folderLabel = path ? `“${baseName(path)}”` : `the top of “${alias}”`

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap={6}>
          <FilesToolbar
            filterInput={filterInput}
            filter={filter}
            onFilter={setFilter}
            onFilterKeyDown={(event) => {
              if (event.key === 'ArrowDown' || event.key === 'Enter') {
                event.preventDefault()
                listRef.current?.focus()
                if (selection.focus === null && names[0]) setSelection(pick(NOTHING_SELECTED, names[0], names))
              }
            }}
            view={view}
            onView={setView}
            sortKey={order.key}
            onSortKey={(key) => setOrder({ key, descending: key !== 'name' })}
            conflict={conflict}
            onConflict={setConflict}
            onUploadFiles={actions.uploadFiles}
            onUploadFolder={actions.uploadFolder}
            onNewFolder={actions.newFolder}
            onRefresh={() => void listing.refetch()}
          />
          <PathBreadcrumbs alias={alias} path={path} onNavigate={navigate} drag={drag} />
          <div ref={fillRef} {...uploads.dropHandlers} className={uploads.dragging ? classes.dropping : undefined} aria-label="Drop files here to upload" style={{ borderRadius: 4 }}>
            {listing.isPending ? (
              <Loader size="sm" m="md" aria-label="Loading the folder" />
            ) : listing.error ? (
              <ErrorAlert error={listing.error} title={`Could not list ${alias}:/${path}`} actions={<Button size="xs" variant="default" onClick={() => void listing.refetch()}>Try again</Button>} />
            ) : listing.loadedCount === 0 && listing.filtering ? (
              listing.searching ? (
                <Loader size="sm" m="md" aria-label="Looking through the folder" />
              ) : (
                <EmptyMessage
                  icon={<IconFilterOff size={24} />}
                  title="No matches"
                  actions={
                    <Button size="xs" variant="default" onClick={() => setFilter('')}>
                      Clear the filter
                    </Button>
                  }
                >
                  No name in {folderLabel} contains “{filter.trim()}”.
                </EmptyMessage>
              )
            ) : listing.loadedCount === 0 ? (
              <EmptyMessage
                icon={<IconUpload size={24} />}
                title={uploads.dragging ? 'Drop to upload here' : 'This folder is empty'}
                actions={
                  <Group gap="xs">
                    <Button size="xs" onClick={actions.uploadFiles} leftSection={<IconUpload size={14} />}>
                      Upload files
                    </Button>
                    <Button size="xs" variant="default" onClick={actions.uploadFolder}>
                      Upload a folder
                    </Button>
                  </Group>
                }
              >
                Drop files or folders here, or Upload.
              </EmptyMessage>
            ) : view === 'grid' ? (
              <EntryGrid {...viewProps} onColumns={setColumns} />
            ) : (
              <EntryList {...viewProps} order={order} onSort={(key: SortKey) => setOrder((o) => ({ key, descending: o.key === key ? !o.descending : key !== 'name' }))} />
            )}
          </div>
          {listing.loadedCount > 0 && (
            <Group justify="space-between">
              <Text size="xs" c="dimmed" aria-label="Entry count">
                {listing.filtering
                  ? `${countOf(entries.length, 'match', 'matches')}${listing.hasMore ? ' so far (scroll to look further; sort sees what is loaded)' : ''}`
                  : `${countOf(listing.loadedCount, 'entry', 'entries')}${listing.hasMore ? ' loaded so far (scroll for more; sort sees what is loaded)' : ''}`}
                {selected.length > 0 ? ` · ${selected.length} selected` : ''}
              </Text>
              {listing.hasMore && (
                <Button size="compact-xs" variant="default" loading={listing.loadingMore} onClick={listing.loadMore}>
                  Load more
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="sm">
          <TransfersPanel
            transfers={transfers.transfers}
            error={transfers.serverError}
            onCancel={(id) => void transfers.cancel(id).catch((error: unknown) => notifications.show({ title: 'Could not cancel', message: ApiError.from(error).message, color: 'red' }))}
            onClearFinished={() => void transfers.clearFinished().catch(() => undefined)}
          />
          <EntryPanel alias={alias} entries={selected} onOpen={open} onDownload={download} onDelete={actions.remove} />
          {selected.length === 0 && !listing.isPending && !listing.error && (
            <Text size="xs" c="dimmed">
              Select a file to see its details and preview. Drop files or folders on the list to upload them into {folderLabel}.
            </Text>
          )}
        </Stack>
      </Grid.Col>
      <UploadInputs filesInput={filesInput} folderInput={folderInput} onFiles={uploads.uploadPicked} />
      <EntryMenu
        place={menu}
        actions={actions}
        onClose={() => {
          setMenu(null)
          // Back to the listing's keys, unless the item chosen opened a dialog, which then has it.
          requestAnimationFrame(() => document.querySelector('[role="dialog"]') || listRef.current?.focus())
        }}
      />
      <FilesDialogs
        alias={alias}
        folder={path}
        dialog={dialog}
        onClose={() => {
          setDialog(null)
          requestAnimationFrame(() => listRef.current?.focus())
        }}
        onNamed={(name) => setSelection(pick(NOTHING_SELECTED, name, [name]))}
        onDeleted={() => setSelection(NOTHING_SELECTED)}
        onTransferStarted={transferStarted}
        onDownload={download}
      />
    </Grid>
  )
}
