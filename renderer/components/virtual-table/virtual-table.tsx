import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react'
import { ColumnResizeHandle } from './column-resize-handle'
import classes from './virtual-table.module.css'

const DEFAULT_WIDTH = 160
/** The sticky header row: one line of xs text with the cell padding, plus its border. */
const HEADER_HEIGHT = 30

export interface VirtualColumn<Row> {
  id: string
  header: ReactNode
  /** Pixels; every row uses the same tracks, so columns line up however the content varies. */
  width?: number
  /** Takes the room left over (at least `width`). */
  grow?: boolean
  align?: 'left' | 'right'
  monospace?: boolean
  render: (row: Row, index: number) => ReactNode
  /** Shown on hover when the cell is cut short. */
  title?: (row: Row) => string | undefined
}

interface VirtualTableProps<Row> {
  rows: readonly Row[]
  columns: readonly VirtualColumn<Row>[]
  rowKey: (row: Row, index: number) => string
  'aria-label': string
  /** The most the table grows to (a CSS length); shorter lists take only the room they need. */
  maxHeight?: number | string
  rowHeight?: number
  onRowClick?: (row: Row) => void
  selectedKey?: string | null
  /** Called when the last rows come into view: the page loads its next page from the backend. */
  onEndReached?: () => void
  /** Fills its parent's height (a split pane) instead of growing with the rows up to maxHeight. */
  fill?: boolean
  /** Extra classes for a row (unread mail in bold). */
  rowClassName?: (row: Row) => string | undefined
  /**
   * Rows that arrive above the first visible one (new mail at the top of a newest-first list) do not
   * push what the user is reading down; at the very top the new rows simply show.
   */
  keepScrollAnchor?: boolean
  /** Headers get a drag handle at their right edge; the widths chosen stay while the table is mounted. */
  resizable?: boolean
}

/**
 * Rows rendered only where visible (ARCHITECTURE.md: every list virtualized), with a sticky header
 * and columns on a CSS grid so header and rows line up however wide the content scrolls.
 */
export function VirtualTable<Row>(props: VirtualTableProps<Row>) {
  const { rows, columns: given, rowKey, maxHeight = 480, rowHeight = 28, onRowClick, selectedKey, onEndReached, fill, rowClassName, keepScrollAnchor, resizable, 'aria-label': ariaLabel } = props
  const [resized, setResized] = useState<Record<string, number>>({})
  const columns = resizable ? given.map((c) => (resized[c.id] === undefined ? c : { ...c, width: resized[c.id], grow: false })) : given
  const scroller = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- this app does not use the React Compiler; the virtualizer re-renders on scroll itself
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 12, scrollPaddingStart: HEADER_HEIGHT })
  const items = virtualizer.getVirtualItems()
  const total = columns.reduce((sum, column) => sum + (column.width ?? DEFAULT_WIDTH), 0)
  const width = `max(100%, ${total}px)`
  const grid: CSSProperties = {
    gridTemplateColumns: columns.map((c) => (c.grow ? `minmax(${c.width ?? DEFAULT_WIDTH}px, 1fr)` : `${c.width ?? DEFAULT_WIDTH}px`)).join(' '),
    width,
  }
  const lastIndex = items.at(-1)?.index ?? -1

  useEffect(() => {
    if (onEndReached && rows.length > 0 && lastIndex >= rows.length - 1) onEndReached()
  }, [lastIndex, rows.length, onEndReached])

  // Keyboard selection can move past the visible rows: bring the selected row into view. Only when
  // the selection changes, not when rows do, or new rows would pull the user back to it.
  useEffect(() => {
    if (selectedKey === null || selectedKey === undefined) return
    const index = rows.findIndex((row, i) => rowKey(row, i) === selectedKey)
    if (index !== -1) virtualizer.scrollToIndex(index, { align: 'auto' })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, [selectedKey])

  const previousRows = useRef(rows)
  useLayoutEffect(() => {
    const before = previousRows.current
    previousRows.current = rows
    const element = scroller.current
    if (!keepScrollAnchor || !element || before === rows || element.scrollTop === 0) return
    // Before the browser paints the new rows, the scroll offset still points at the old first row.
    const firstIndex = Math.floor(element.scrollTop / rowHeight)
    const first = before[firstIndex]
    if (first === undefined) return
    const key = rowKey(first, firstIndex)
    const index = rows.findIndex((row, i) => rowKey(row, i) === key)
    if (index > firstIndex) element.scrollTop += (index - firstIndex) * rowHeight
  }, [rows, keepScrollAnchor, rowHeight, rowKey])

  const activate = (row: Row) => (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      onRowClick?.(row)
    }
  }

  return (
    <div ref={scroller} className={classes.scroller} style={fill ? { height: '100%' } : { height: rows.length * rowHeight + HEADER_HEIGHT, maxHeight }} role="table" aria-label={ariaLabel} aria-rowcount={rows.length + 1}>
      <div className={classes.header} style={grid} role="row">
        {columns.map((column) => (
          <div key={column.id} role="columnheader" className={`${classes.cell} ${classes.headerCell} ${column.align === 'right' ? classes.right : ''}`}>
            {column.header}
            {resizable && (
              <ColumnResizeHandle
                label={`Resize column ${column.id}`}
                width={column.width ?? DEFAULT_WIDTH}
                onResize={(width) => setResized((widths) => ({ ...widths, [column.id]: width }))}
                onFit={() => setResized(({ [column.id]: _dropped, ...rest }) => rest)}
              />
            )}
          </div>
        ))}
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width }} role="rowgroup">
        {items.map((item) => {
          const row = rows[item.index] as Row
          const key = rowKey(row, item.index)
          const className = [classes.row, item.index % 2 ? classes.striped : '', onRowClick ? classes.clickable : '', key === selectedKey ? classes.selected : '', rowClassName?.(row) ?? ''].join(' ')
          return (
            <div
              key={key}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={onRowClick ? key === selectedKey : undefined}
              tabIndex={onRowClick ? 0 : undefined}
              className={className}
              style={{ ...grid, top: item.start, height: item.size }}
              onClick={onRowClick && (() => onRowClick(row))}
              onKeyDown={onRowClick && activate(row)}
            >
              {columns.map((column) => (
                <div key={column.id} role="cell" title={column.title?.(row)} className={[classes.cell, column.monospace ? classes.mono : '', column.align === 'right' ? classes.right : ''].join(' ')}>
                  {column.render(row, item.index)}
                </div>
              ))}
            </div>
          )
        })}
      </div>
    </div>
  )
}
