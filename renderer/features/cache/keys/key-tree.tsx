import { IconChevronDown, IconChevronRight, IconFolder, IconKey } from '@tabler/icons-react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { formatBytes } from '../../../components/format'
import { countOf } from '../../../../main/api/contract'
import { EntryTypeBadge } from './entry-type-badge'
import { keyTreeRows, parentRowIndex, shownKey, type KeyTreeRow } from './key-tree-model'
import classes from './key-tree.module.css'
import { formatTtl, ttlLeft, useNow } from './ttl-text'
import type { ListedEntry } from './use-key-scan'

const ROW_HEIGHT = 26
const INDENT = 16

interface KeyTreeProps {
  entries: readonly ListedEntry[]
  activeKey: string | null
  openKey: string | null
  onActivate: (entry: ListedEntry) => void
  onOpen: (entry: ListedEntry) => void
  onDelete: (entry: ListedEntry) => void
  onEndReached: () => void
  /** Split the stored keys (prefix:version:key) instead of the application's. */
  stored: boolean
}

/**
 * The keys split on ':' into folders, as RedisInsight shows them; virtualized, and walked with the
 * arrow keys (Right opens a folder, Left closes it or goes up, Enter opens a key, Delete asks to delete it).
 */
export function KeyTree({ entries, activeKey, openKey, onActivate, onOpen, onDelete, onEndReached, stored }: KeyTreeProps) {
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set())
  const [activeFolder, setActiveFolder] = useState<string | null>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const rows = useMemo(() => keyTreeRows(entries as ListedEntry[], opened, stored), [entries, opened, stored])
  const now = useNow()
  // eslint-disable-next-line react-hooks/incompatible-library -- this app does not use the React Compiler
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 16 })
  const activeId = activeFolder ?? activeKey
  const activeIndex = activeId === null ? -1 : rows.findIndex((row) => row.id === activeId)
  const items = virtualizer.getVirtualItems()
  const lastIndex = items.at(-1)?.index ?? -1

  useEffect(() => {
    if (rows.length > 0 && lastIndex >= rows.length - 1) onEndReached()
  }, [lastIndex, rows.length, onEndReached])

  const toggle = (id: string, open?: boolean) =>
    setOpened((current) => {
      if (open !== undefined && current.has(id) === open) return current
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const activate = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))]
    if (!row) return
    if (row.kind === 'folder') setActiveFolder(row.id)
    else {
      setActiveFolder(null)
      onActivate(row.entry as ListedEntry)
    }
    virtualizer.scrollToIndex(rows.indexOf(row), { align: 'auto' })
  }
  const choose = (row: KeyTreeRow) => {
    if (row.kind === 'folder') {
      setActiveFolder(row.id)
      toggle(row.id)
    } else {
      setActiveFolder(null)
      onActivate(row.entry as ListedEntry)
      onOpen(row.entry as ListedEntry)
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const row = rows[activeIndex]
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1)
    const keys: Record<string, () => void> = {
      ArrowDown: () => activate(activeIndex + 1),
      ArrowUp: () => activate(activeIndex === -1 ? 0 : activeIndex - 1),
      PageDown: () => activate(activeIndex + page),
      PageUp: () => activate(activeIndex - page),
      Home: () => activate(0),
      End: () => activate(rows.length - 1),
      ArrowRight: () => {
        if (row?.kind !== 'folder') return
        if (!opened.has(row.id)) toggle(row.id, true)
        else activate(activeIndex + 1)
      },
      ArrowLeft: () => {
        if (!row) return
        if (row.kind === 'folder' && opened.has(row.id)) toggle(row.id, false)
        else activate(parentRowIndex(rows, activeIndex))
      },
      Enter: () => row && choose(row),
      Delete: () => row?.kind === 'key' && onDelete(row.entry as ListedEntry),
    }
    const action = keys[event.key]
    if (!action) return
    event.preventDefault()
    action()
  }

  return (
    <div
      ref={scroller}
      className={classes.tree}
      style={{ height: Math.min(rows.length * ROW_HEIGHT + 2, 10_000), maxHeight: 'calc(100vh - 330px)' }}
      role="tree"
      aria-label="Cache key tree"
      tabIndex={0}
      aria-activedescendant={activeIndex === -1 ? undefined : rowDomId(activeIndex)}
      onKeyDown={onKeyDown}
      onFocus={() => activeIndex === -1 && rows.length > 0 && activate(0)}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rows[item.index]!
          const isOpen = row.kind === 'folder' && opened.has(row.id)
          const className = [classes.row, item.index === activeIndex ? classes.active : '', row.kind === 'key' && row.id === openKey ? classes.open : ''].join(' ')
          return (
            <div
              key={row.id}
              id={rowDomId(item.index)}
              role="treeitem"
              aria-level={row.depth + 1}
              aria-expanded={row.kind === 'folder' ? isOpen : undefined}
              aria-selected={item.index === activeIndex}
              aria-label={row.kind === 'folder' ? `${row.name}: ${countOf(row.count, 'key')}` : shownKey(row.entry, stored)}
              className={className}
              style={{ top: item.start, height: item.size, paddingLeft: 6 + row.depth * INDENT }}
              onClick={() => choose(row)}
            >
              <span className={classes.chevron}>{row.kind === 'folder' ? isOpen ? <IconChevronDown size={12} /> : <IconChevronRight size={12} /> : null}</span>
              {row.kind === 'folder' ? <IconFolder size={14} color="var(--mantine-color-dimmed)" /> : <IconKey size={13} color="var(--mantine-color-dimmed)" />}
              <span className={classes.name} title={row.kind === 'key' ? row.entry.key : undefined}>
                {row.name}
              </span>
              {row.kind === 'folder' ? (
                <span className={classes.meta}>{row.count}</span>
              ) : (
                <span className={classes.meta}>
                  <EntryTypeBadge type={row.entry.type} /> {formatTtl(ttlLeft(row.entry.ttl, (row.entry as ListedEntry).fetchedAt, now))} · {formatBytes(row.entry.size)}
                </span>
              )}
            </div>
          )
        })}
      </div>
    </div>
  )
}

function rowDomId(index: number): string {
  return `cache-tree-row-${index}`
}
