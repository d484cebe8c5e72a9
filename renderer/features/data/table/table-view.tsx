import { Button, Center, Loader, Stack } from '@mantine/core'
import { useElementSize } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { ApiError } from '../../../api/api-error'
import { useApiClient, useApiQuery } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { CellEditor } from '../cells/cell-editor'
import { editModeOf } from '../cells/cell-input'
import { CellInspector } from '../cells/cell-inspector'
import { formatCell } from '../cells/cell-value'
import { EditValueDialog } from '../cells/edit-value-dialog'
import { copyText } from '../../../components/copy-text'
import { rowsAsText, type CopyFormat } from './copy-rows'
import { DataGrid } from './data-grid'
import { FilterBuilder } from './filter-builder'
import { handleGridKey } from './grid-keys'
import { GridFooter } from './grid-footer'
import { gridColumnsOf } from './grid-model'
import { ImportDialog } from './import-dialog'
import { describeEdit, describePending, pendingCount, toChanges } from './pending-changes'
import { ReviewDialog } from './review-dialog'
import { nextSort } from './sort-order'
import { NO_KEY_WARNING, TableNotices } from './table-notices'
import { TableStatus } from './table-status'
import { TableToolbar } from './table-toolbar'
import { tableRefOf, type FilterInput, type SortInput, type TableSummary } from './table-ref'
import { useCellEditing } from './use-cell-editing'
import { useColumnWidths } from './use-column-widths'
import { usePendingEdits } from './use-pending-edits'
import { useRowSelection } from './use-row-selection'
import { useGridRows } from './use-grid-rows'
import { useTablePages } from './use-table-pages'

interface TableViewProps {
  alias: string
  table: TableSummary
  /** Why nothing may be edited (a read-only alias), or null. */
  readOnlyReason: string | null
  /** The Django model behind the table (`auth.user`). */
  model?: string | undefined
  height: number
  /** Told how many changes are pending, so that closing the tab can ask first. */
  onPendingChange?: (count: number) => void
}

/**
 * One table in its tab: the rows a page at a time, sorted and filtered by the server; edits, new rows
 * and deletions collected as pending changes (undo, discard) until they are reviewed as SQL and
 * committed in one transaction; copy, CSV import and export.
 */
export function TableView({ alias, table, readOnlyReason, model, height, onPendingChange }: TableViewProps) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const ref = useMemo(() => tableRefOf(table), [table])
  const describe = useApiQuery('data.describe', { alias, table: ref })
  const [sort, setSort] = useState<SortInput[]>([])
  const [filters, setFilters] = useState<FilterInput[]>([])
  const { query, rows: loaded, last, cancel } = useTablePages(alias, ref, sort, filters)
  const pending = usePendingEdits()
  const { summary } = pending
  const columns = useMemo(() => (describe.data ? gridColumnsOf(describe.data) : []), [describe.data])
  const gridRef = useRef<HTMLDivElement>(null)
  const { ref: roomRef, width: room } = useElementSize()
  const cells = useMemo(() => loaded.map((r) => r.cells), [loaded])
  const { widths, resize, fit } = useColumnWidths(columns, cells, room - 60, describe.isSuccess && query.isSuccess)

  const [inspecting, setInspecting] = useState<{ value: unknown; title: string } | null>(null)
  const [reviewing, setReviewing] = useState(false)
  const [importing, setImporting] = useState(false)
  const [refusedWrite, setRefusedWrite] = useState(false)

  const isView = (describe.data?.type ?? table.type) === 'view'
  const readOnly = readOnlyReason ?? (isView ? 'A view: its rows are edited through the tables it reads.' : refusedWrite ? `The server refused to write: alias “${alias}” is read-only.` : null)
  const noKey = describe.data !== undefined && describe.data.primaryKey.length === 0 && !isView

  const { rows, loadedById, valueAt, cellState, rowState, indexOf } = useGridRows(loaded, columns, summary)
  const selection = useRowSelection(rows)
  const { focus, setFocus, selected } = selection
  const titleOf = (col: number) => `${columns[col]?.name ?? ''} ${columns[col]?.type.toLowerCase() ?? ''}`.trim()

  const say = (title: string, message?: string, color = 'gray') => notifications.show({ title, message, color })
  const refocus = () => gridRef.current?.focus({ preventScroll: true })
  const inspect = (rowId: string, col: number) => {
    const row = rows[indexOf(rowId)]
    if (row && columns[col]) setInspecting({ value: valueAt(row, col) ?? null, title: titleOf(col) })
  }

  // --- editing -------------------------------------------------------------------------------

  const { editing, startEdit, keepEdit, cancelEdit, editNewRow } = useCellEditing({
    rows,
    columns,
    loadedById,
    summary,
    valueAt,
    rowState,
    indexOf,
    readOnly,
    push: pending.push,
    setFocus,
    inspect,
    say,
    refocus,
  })

  const addRow = () => {
    if (readOnly) return say('Not editable', readOnly)
    const rowId = pending.addRow()
    const col = Math.max(0, columns.findIndex((c) => !c.generated))
    selection.select([rowId])
    setFocus({ rowId, col })
    gridRef.current?.scrollTo({ top: 0 })
    editNewRow(rowId, col)
  }

  const deleteRows = () => {
    if (readOnly) return say('Not editable', readOnly)
    const ids = selection.chosen().map((r) => r.id)
    const fresh = ids.filter((id) => summary.inserts.has(id))
    const existing = ids.filter((id) => loadedById.has(id) && !summary.deleted.has(id)).map((id) => ({ rowId: id, key: loadedById.get(id)!.key }))
    if (fresh.length > 0) pending.push({ op: 'removeNew', rowIds: fresh })
    if (existing.length > 0) pending.push({ op: 'delete', rows: existing })
  }

  const undo = () => {
    const lastEdit = pending.log.at(-1)
    if (!lastEdit) return
    pending.undo()
    say('Undone', `Took back ${describeEdit(lastEdit)}.`)
  }

  // --- copy, keys, sort ----------------------------------------------------------------------

  const copyRows = async (format: CopyFormat) => {
    const chosen = selection.chosen()
    if (chosen.length === 0) return say('Nothing selected', 'Click a row (Shift or Ctrl+click for more) first.')
    try {
      const values = chosen.map((row) => columns.map((_, col) => valueAt(row, col)))
      await copyText(await rowsAsText(client, { alias, table: ref }, columns.map((c) => c.name), values, format))
      say('Copied', `${chosen.length} ${chosen.length === 1 ? 'row' : 'rows'} as ${format === 'insert' ? 'INSERT statements' : format.toUpperCase()}.`, 'green')
    } catch (error) {
      const apiError = ApiError.from(error)
      say('Could not copy', [apiError.message, apiError.hint].filter(Boolean).join(' '), 'red')
    }
  }

  const copyFocused = async () => {
    const row = focus ? rows[indexOf(focus.rowId)] : undefined
    if (!row || !focus) return
    try {
      await copyText(formatCell(valueAt(row, focus.col) ?? null))
      say('Copied the cell', undefined, 'green')
    } catch (error) {
      say('Could not copy', ApiError.from(error).message, 'red')
    }
  }

  const moveFocus = (rowStep: number | 'start' | 'end', colStep: number | 'start' | 'end', extend: boolean) => {
    const index = focus ? indexOf(focus.rowId) : -1
    const col = focus?.col ?? 0
    const nextIndex = Math.max(0, Math.min(rows.length - 1, typeof rowStep === 'number' ? index + rowStep : rowStep === 'start' ? 0 : rows.length - 1))
    const nextCol = Math.max(0, Math.min(columns.length - 1, typeof colStep === 'number' ? col + colStep : colStep === 'start' ? 0 : columns.length - 1))
    const row = rows[nextIndex]
    if (!row) return
    setFocus({ rowId: row.id, col: nextCol })
    if (nextIndex !== index || !extend) selection.selectTo(nextIndex, { shiftKey: extend, metaKey: false, ctrlKey: false })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || editing) return
    const handled = handleGridKey(
      event,
      {
        move: moveFocus,
        edit: (typed) => focus && startEdit(focus.rowId, focus.col, typed),
        inspect: () => focus && inspect(focus.rowId, focus.col),
        deleteRows,
        addRow,
        undo,
        review: () => pendingCount(summary) > 0 && setReviewing(true),
        selectAll: () => selection.select(rows.map((r) => r.id)),
        copy: () => void (selected.size > 1 ? copyRows('tsv') : copyFocused()),
        clearSelection: () => selection.select([]),
      },
      Math.max(1, Math.floor(height / 26) - 4),
    )
    if (handled) event.preventDefault()
  }

  // Another order or filter starts at the first row again.
  const toTop = () => gridRef.current?.scrollTo({ top: 0 })
  const onSort = (column: string, additive: boolean) => {
    toTop()
    setSort((current) => nextSort(current, column, additive))
  }

  const reload = () => {
    void query.refetch()
    void queryClient.invalidateQueries({ queryKey: ['data.tables', { alias }] })
  }

  const count = pendingCount(summary)
  useEffect(() => onPendingChange?.(count), [count, onPendingChange])

  const { hasNextPage: hasMore, fetchNextPage, isFetchingNextPage } = query
  const loadMore = useCallback(() => {
    if (hasMore && !isFetchingNextPage) void fetchNextPage()
  }, [hasMore, isFetchingNextPage, fetchNextPage])

  if (describe.isPending) {
    return (
      <Center py="xl">
        <Loader size="sm" aria-label="Reading the table" />
      </Center>
    )
  }
  if (describe.isError) {
    return (
      <ErrorAlert
        error={describe.error}
        title={`Could not read ${table.name}`}
        actions={
          <Button size="xs" variant="default" onClick={() => void describe.refetch()}>
            Try again
          </Button>
        }
      />
    )
  }

  const editingColumn = editing ? columns[editing.col] : undefined
  const editingRow = editing ? rows[indexOf(editing.rowId)] : undefined
  const editingMode = editingColumn ? editModeOf(editingRow ? (valueAt(editingRow, editing!.col) ?? null) : null, editingColumn.type) : 'text'
  const editor =
    editing && !editing.dialog && editingColumn ? (
      <CellEditor key={`${editing.rowId}:${editing.col}`} initialText={editing.initialText} mode={editingMode} type={editingColumn.type} nullable={editingColumn.nullable} onCommit={keepEdit} onCancel={cancelEdit} />
    ) : null

  return (
    <Stack gap={6} h={height} aria-label={`Table ${table.name}`}>
      <TableToolbar
        alias={alias}
        table={table}
        tableRef={ref}
        model={model}
        readOnly={readOnly !== null}
        pending={count}
        canUndo={pending.log.length > 0}
        selectedCount={selected.size}
        refreshing={query.isRefetching}
        onRefresh={reload}
        onAddRow={addRow}
        onDelete={deleteRows}
        onUndo={undo}
        onDiscard={() => {
          pending.discard()
          say('Discarded every pending change')
        }}
        onReview={() => setReviewing(true)}
        onCopy={(format) => void copyRows(format)}
        onImport={() => setImporting(true)}
      />
      <FilterBuilder
        columns={columns}
        filters={filters}
        onChange={(next) => {
          toTop()
          setFilters(next)
        }}
      />
      <TableNotices readOnly={readOnly} noKey={noKey} />
      {query.isError && (
        <ErrorAlert
          error={query.error}
          title="Could not read the rows"
          actions={
            <Button size="xs" variant="default" onClick={() => void query.refetch()}>
              Try again
            </Button>
          }
        />
      )}
      <div ref={roomRef} style={{ flex: 1, minHeight: 0 }}>
        {query.isPending ? (
          <Center py="xl">
            <Loader size="sm" aria-label="Loading rows" />
          </Center>
        ) : (
          <DataGrid
            aria-label={`Rows of ${table.name}`}
            gridRef={gridRef}
            columns={columns}
            rows={rows}
            widths={widths}
            height="100%"
            sort={sort}
            onSort={onSort}
            onResize={resize}
            onFit={fit}
            valueAt={valueAt}
            cellState={cellState}
            rowState={rowState}
            focus={focus}
            selected={selected}
            editing={editing && !editing.dialog ? editing : null}
            editor={editor}
            onCellMouseDown={(index: number, col: number, event: MouseEvent) => {
              if (event.button !== 0) return
              if (event.shiftKey) event.preventDefault() // no text selection across the grid
              setFocus({ rowId: rows[index]!.id, col })
              selection.selectTo(index, event)
            }}
            onGutterMouseDown={(index, event) => {
              event.preventDefault()
              refocus()
              setFocus({ rowId: rows[index]!.id, col: focus?.col ?? 0 })
              selection.selectTo(index, event)
            }}
            onCellDoubleClick={(index, col) => startEdit(rows[index]!.id, col)}
            onInspect={(index, col) => inspect(rows[index]!.id, col)}
            onKeyDown={onKeyDown}
            onEndReached={loadMore}
            footer={<GridFooter empty={rows.length === 0} filtered={filters.length > 0} readOnly={readOnly !== null} loadingMore={isFetchingNextPage} hasMore={hasMore} />}
          />
        )}
      </div>
      <TableStatus
        loaded={loaded.length}
        hasMore={hasMore}
        filtered={filters.length > 0}
        estimate={table.rowEstimate}
        loading={query.isFetching && !isFetchingNextPage}
        loadingMore={isFetchingNextPage}
        onCancel={cancel}
        onLoadMore={loadMore}
        last={last}
        pendingText={describePending(summary)}
      />
      {editing?.dialog && editingColumn && (
        <EditValueDialog
          title={titleOf(editing.col)}
          initialText={editing.initialText}
          mode={editingMode}
          type={editingColumn.type}
          nullable={editingColumn.nullable}
          onSave={(value) => keepEdit(value)}
          onClose={cancelEdit}
        />
      )}
      <CellInspector value={inspecting?.value} opened={inspecting !== null} onClose={() => setInspecting(null)} title={inspecting?.title} />
      {reviewing && (
        <ReviewDialog
          alias={alias}
          table={ref}
          changes={toChanges(summary)}
          warning={noKey ? NO_KEY_WARNING : undefined}
          onClose={() => setReviewing(false)}
          onReadOnly={() => setRefusedWrite(true)}
          onCommitted={(result) => {
            setReviewing(false)
            pending.discard()
            selection.select([])
            reload()
            say('Committed', `${result.statements} ${result.statements === 1 ? 'statement' : 'statements'}, ${result.rowsAffected} ${result.rowsAffected === 1 ? 'row' : 'rows'} changed.`, 'green')
          }}
        />
      )}
      {importing && <ImportDialog alias={alias} table={ref} columns={columns} onClose={() => setImporting(false)} onImported={reload} />}
    </Stack>
  )
}
