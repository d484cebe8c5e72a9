import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, type CSSProperties, type KeyboardEvent, type MouseEvent, type ReactNode, type RefObject } from 'react'
import { isExpandable, isNumericCell } from '../cells/cell-value'
import { CellView } from '../cells/cell-view'
import type { CellPosition, GridColumn, GridRow } from './grid-model'
import { GridHeaderCell } from './grid-header-cell'
import type { SortInput } from './table-ref'
import classes from './data-grid.module.css'

const ROW_HEIGHT = 26
const HEADER_HEIGHT = 30
export const GUTTER_WIDTH = 56
/** Load the next page this many rows before the end, so scrolling rarely waits. */
const PREFETCH_ROWS = 40

export type CellState = 'edited' | undefined
export type RowState = 'deleted' | 'new' | undefined

interface DataGridProps {
  columns: readonly GridColumn[]
  rows: readonly GridRow[]
  widths: readonly number[]
  height: number | string
  sort: readonly SortInput[]
  onSort: (column: string, additive: boolean) => void
  onResize: (col: number, width: number) => void
  onFit: (col: number) => void
  /** The value shown: the pending edit's, else the loaded one; undefined for a new row's column left to its default. */
  valueAt: (row: GridRow, col: number) => unknown
  cellState: (row: GridRow, col: number) => CellState
  rowState: (row: GridRow) => RowState
  focus: CellPosition | null
  selected: ReadonlySet<string>
  editing: CellPosition | null
  /** The inline editor, drawn in the editing cell. */
  editor: ReactNode
  onCellMouseDown: (rowIndex: number, col: number, event: MouseEvent) => void
  onGutterMouseDown: (rowIndex: number, event: MouseEvent) => void
  onCellDoubleClick: (rowIndex: number, col: number) => void
  onInspect: (rowIndex: number, col: number) => void
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void
  onEndReached: () => void
  /** Under the last row: "loading more…", "all 1,204 rows". */
  footer: ReactNode
  gridRef: RefObject<HTMLDivElement | null>
  'aria-label': string
}

/**
 * The table view's grid: rows virtualized (a table of millions scrolls as one of twenty), a sticky
 * header and row-number gutter, one focused cell and a set of selected rows. It draws; the table view
 * decides what a key or a click does.
 */
export function DataGrid(props: DataGridProps) {
  const { columns, rows, widths, height, sort, focus, selected, editing, editor, gridRef } = props
  // eslint-disable-next-line react-hooks/incompatible-library -- this app does not use the React Compiler
  const virtualizer = useVirtualizer({
    count: rows.length + 1,
    getScrollElement: () => gridRef.current,
    estimateSize: (index) => (index === rows.length ? 34 : ROW_HEIGHT),
    overscan: 16,
    scrollPaddingStart: HEADER_HEIGHT,
  })
  const items = virtualizer.getVirtualItems()
  const total = GUTTER_WIDTH + widths.reduce((sum, w) => sum + w, 0)
  const grid: CSSProperties = { gridTemplateColumns: `${GUTTER_WIDTH}px ${widths.map((w) => `${w}px`).join(' ')}`, width: total }
  const lastIndex = items.at(-1)?.index ?? -1
  const { onEndReached } = props

  useEffect(() => {
    if (rows.length > 0 && lastIndex >= rows.length - PREFETCH_ROWS) onEndReached()
  }, [lastIndex, rows.length, onEndReached])

  // The focused cell moved (keys): bring it into view, down and across.
  const focusIndex = focus ? rows.findIndex((r) => r.id === focus.rowId) : -1
  const focusCol = focus?.col ?? -1
  const lastFocus = useRef({ index: -1, col: -1 })
  useEffect(() => {
    if (focusIndex === -1 || (lastFocus.current.index === focusIndex && lastFocus.current.col === focusCol)) return
    lastFocus.current = { index: focusIndex, col: focusCol }
    virtualizer.scrollToIndex(focusIndex, { align: 'auto' })
    const scroller = gridRef.current
    if (!scroller || focusCol < 0) return
    const left = GUTTER_WIDTH + widths.slice(0, focusCol).reduce((sum, w) => sum + w, 0)
    const right = left + (widths[focusCol] ?? 0)
    if (left - GUTTER_WIDTH < scroller.scrollLeft) scroller.scrollLeft = left - GUTTER_WIDTH
    else if (right > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = right - scroller.clientWidth
  }, [focusIndex, focusCol, virtualizer, widths, gridRef])

  const sortIndexOf = (name: string) => sort.findIndex((s) => s.column === name)
  // New rows are drawn first; the loaded ones keep their numbers from 1.
  const newRows = rows.filter((r) => r.kind === 'new').length

  return (
    <div
      ref={gridRef}
      className={classes.scroller}
      style={{ height }}
      role="grid"
      aria-label={props['aria-label']}
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      tabIndex={0}
      onKeyDown={props.onKeyDown}
    >
      <div className={classes.header} style={grid} role="row" aria-rowindex={1}>
        <div className={classes.gutter} role="columnheader" aria-label="Row" />
        {columns.map((column, col) => {
          const sortIndex = sortIndexOf(column.name)
          return (
            <GridHeaderCell
              key={column.name}
              column={column}
              width={widths[col] ?? 120}
              sortIndex={sortIndex}
              descending={sort[sortIndex]?.descending ?? false}
              sortCount={sort.length}
              onSort={(additive) => props.onSort(column.name, additive)}
              onResize={(width) => props.onResize(col, width)}
              onFit={() => props.onFit(col)}
            />
          )
        })}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: total }} role="rowgroup">
        {items.map((item) => {
          if (item.index === rows.length) {
            return (
              <div key="footer" className={classes.footer} style={{ top: item.start, height: item.size }}>
                {props.footer}
              </div>
            )
          }
          const row = rows[item.index]!
          const state = props.rowState(row)
          const isSelected = selected.has(row.id)
          const className = [classes.row, item.index % 2 ? classes.striped : '', isSelected ? classes.selected : '', state === 'deleted' ? classes.deleted : '', state === 'new' ? classes.inserted : ''].join(' ')
          return (
            <div
              key={row.reactKey}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={isSelected}
              data-state={state}
              className={className}
              // The editing row stays above the next one, so the editor's message under it shows.
              style={{ ...grid, top: item.start, height: item.size, ...(editing?.rowId === row.id ? { zIndex: 3 } : {}) }}
            >
              <div className={classes.gutter} role="rowheader" onMouseDown={(event) => props.onGutterMouseDown(item.index, event)} title={state === 'new' ? 'A new row, not committed yet' : state === 'deleted' ? 'Deleted when you commit' : undefined}>
                {state === 'new' ? 'new' : item.index + 1 - newRows}
              </div>
              {columns.map((column, col) => {
                const isEditing = editing !== null && editing.rowId === row.id && editing.col === col
                const value = props.valueAt(row, col)
                const isFocused = focus !== null && focus.rowId === row.id && focus.col === col
                const cellClass = [
                  classes.cell,
                  isNumericCell(value, column.type) ? classes.right : '',
                  props.cellState(row, col) === 'edited' ? classes.edited : '',
                  isFocused ? classes.focused : '',
                  isEditing ? classes.editing : '',
                ].join(' ')
                return (
                  <div
                    key={column.name}
                    role="gridcell"
                    aria-selected={isFocused}
                    data-column={column.name}
                    data-edited={props.cellState(row, col) === 'edited' || undefined}
                    className={cellClass}
                    onMouseDown={(event) => props.onCellMouseDown(item.index, col, event)}
                    onDoubleClick={() => props.onCellDoubleClick(item.index, col)}
                  >
                    {isEditing ? (
                      editor
                    ) : value === undefined ? (
                      <span className={classes.placeholder}>{column.generated ? 'auto' : column.defaultValue !== null ? 'DEFAULT' : ''}</span>
                    ) : (
                      <>
                        <CellView value={value} />
                        {isExpandable(value) && (
                          <span
                            className={classes.expand}
                            role="button"
                            aria-label={`Inspect ${column.name}`}
                            onMouseDown={(event) => event.stopPropagation()}
                            onClick={() => props.onInspect(item.index, col)}
                          >
                            ⤢
                          </span>
                        )}
                      </>
                    )}
                  </div>
                )
              })}
            </div>
          )
        })}
      </div>
    </div>
  )
}
