import { ActionIcon, UnstyledButton } from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconDots } from '@tabler/icons-react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { CSSProperties } from 'react'
import { formatBytes } from '../../components/format'
import { EntryIcon } from './entry-icon'
import { baseName } from './entry-names'
import type { SortKey, SortOrder } from './entry-order'
import { entryMouseHandlers, optionId, type EntryViewProps } from './entry-view-props'
import classes from './file-browser.module.css'
import { useVirtualFollow } from './use-virtual-follow'

const ROW_HEIGHT = 28
const HEADER_HEIGHT = 30
const GRID: CSSProperties = { gridTemplateColumns: 'minmax(200px, 1fr) 90px 170px 36px' }
const COLUMNS: { key: SortKey; label: string; right?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'size', label: 'Size', right: true },
  { key: 'modified', label: 'Modified' },
]

interface EntryListProps extends EntryViewProps {
  order: SortOrder
  onSort: (key: SortKey) => void
}

/** The folder as rows (name, size, modified), rendered only where visible: a 100,000-entry folder scrolls as one of ten. */
export function EntryList({ entries, selection, idPrefix, height, listRef, onKeyDown, onPick, onOpen, onMenu, drag, onEndReached, order, onSort, label }: EntryListProps) {
  // eslint-disable-next-line react-hooks/incompatible-library -- this app does not use the React Compiler; the virtualizer re-renders on scroll itself
  const virtualizer = useVirtualizer({ count: entries.length, getScrollElement: () => listRef.current, estimateSize: () => ROW_HEIGHT, overscan: 16, scrollPaddingStart: HEADER_HEIGHT })
  const items = virtualizer.getVirtualItems()
  const focusIndex = selection.focus === null ? -1 : entries.findIndex((entry) => entry.name === selection.focus)
  useVirtualFollow(virtualizer, entries.length, focusIndex, onEndReached)

  return (
    <div
      ref={listRef}
      className={classes.scroller}
      style={{ height }}
      role="listbox"
      aria-label={label}
      aria-multiselectable
      tabIndex={0}
      aria-activedescendant={focusIndex === -1 ? undefined : optionId(idPrefix, focusIndex)}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => {
        if (event.target !== event.currentTarget && (event.target as HTMLElement).closest('[role="option"]')) return
        event.preventDefault()
        onMenu(null, event.clientX, event.clientY)
      }}
    >
      <div className={classes.header} style={GRID} role="presentation">
        {COLUMNS.map((column) => (
          <UnstyledButton
            key={column.key}
            className={`${classes.cell} ${column.right ? classes.right : ''}`}
            fz="xs"
            fw={600}
            px={8}
            tabIndex={-1}
            onClick={() => onSort(column.key)}
            aria-label={`Sort by ${column.label.toLowerCase()}`}
            aria-pressed={order.key === column.key}
          >
            {column.label}
            {order.key === column.key && (order.descending ? <IconArrowDown size={11} style={{ marginLeft: 2 }} /> : <IconArrowUp size={11} style={{ marginLeft: 2 }} />)}
          </UnstyledButton>
        ))}
        <span />
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="presentation">
        {items.map((item) => {
          const entry = entries[item.index]
          if (!entry) return null
          const base = baseName(entry.name)
          const selected = selection.selected.has(entry.name)
          return (
            <div
              key={entry.name}
              id={optionId(idPrefix, item.index)}
              role="option"
              aria-label={base}
              aria-selected={selected}
              data-type={entry.type}
              className={`${classes.row} ${selected ? classes.selected : ''} ${item.index === focusIndex ? classes.focused : ''} ${drag.over === entry.name ? classes.dropTarget : ''}`}
              style={{ ...GRID, top: item.start, height: item.size }}
              {...entryMouseHandlers(entry, { listRef, onPick, onOpen, onMenu, drag })}
            >
              <div className={classes.cell} title={entry.name} style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
                <EntryIcon entry={entry} />
                <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', fontFamily: 'var(--mantine-font-family-monospace)' }}>
                  {base}
                  {entry.type === 'dir' ? '/' : ''}
                </span>
              </div>
              <div className={`${classes.cell} ${classes.right}`}>{entry.type === 'file' && entry.size !== undefined ? formatBytes(entry.size) : ''}</div>
              <div className={classes.cell}>{entry.modified ? new Date(entry.modified).toLocaleString() : ''}</div>
              <div className={classes.cell} style={{ padding: 2 }}>
                <ActionIcon
                  variant="subtle"
                  size="sm"
                  tabIndex={-1}
                  aria-label={`Actions for ${base}`}
                  onClick={(event) => {
                    event.stopPropagation()
                    if (!selected) onPick(entry, {})
                    const box = event.currentTarget.getBoundingClientRect()
                    onMenu(entry, box.left, box.bottom)
                  }}
                >
                  <IconDots size={14} />
                </ActionIcon>
              </div>
            </div>
          )
        })}
      </div>
    </div>
  )
}
