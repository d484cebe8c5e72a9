import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useLayoutEffect, useState } from 'react'
import { formatBytes } from '../../components/format'
import { EntryIcon } from './entry-icon'
import { baseName } from './entry-names'
import { entryMouseHandlers, optionId, type EntryViewProps } from './entry-view-props'
import classes from './file-browser.module.css'
import { useVirtualFollow } from './use-virtual-follow'
import { previewKindOf, THUMBNAIL_CAP } from './preview-kind'
import { fileUrl } from './storage-urls'
import type { StorageEntry } from './types'

const TILE_WIDTH = 128
const TILE_HEIGHT = 132

/** An image's thumbnail is the image itself (`?inline=1`), loaded only when its tile is rendered; a big one keeps its icon. */
function Thumbnail({ alias, entry }: { alias: string; entry: StorageEntry }) {
  const [failed, setFailed] = useState(false)
  const isImage = entry.type === 'file' && previewKindOf(entry.name, entry.contentType) === 'image' && (entry.size ?? 0) <= THUMBNAIL_CAP
  if (!isImage || failed) return <EntryIcon entry={entry} size={48} />
  return <img src={fileUrl(alias, entry.name, { inline: true })} alt="" loading="lazy" decoding="async" draggable={false} onError={() => setFailed(true)} />
}

/** The folder as tiles with thumbnails, virtualized by rows of as many tiles as fit the width. */
export function EntryGrid({ alias, entries, selection, idPrefix, height, listRef, onKeyDown, onPick, onOpen, onMenu, drag, onEndReached, onColumns, label }: EntryViewProps) {
  const [columns, setColumns] = useState(4)
  useLayoutEffect(() => {
    const element = listRef.current
    if (!element) return
    const measure = () => setColumns(Math.max(1, Math.floor((element.clientWidth - 8) / TILE_WIDTH)))
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => observer.disconnect()
  }, [listRef])
  useEffect(() => onColumns?.(columns), [columns, onColumns])

  const rowCount = Math.ceil(entries.length / columns)
  // eslint-disable-next-line react-hooks/incompatible-library -- this app does not use the React Compiler; the virtualizer re-renders on scroll itself
  const virtualizer = useVirtualizer({ count: rowCount, getScrollElement: () => listRef.current, estimateSize: () => TILE_HEIGHT, overscan: 3 })
  const rows = virtualizer.getVirtualItems()
  const focusIndex = selection.focus === null ? -1 : entries.findIndex((entry) => entry.name === selection.focus)
  useVirtualFollow(virtualizer, rowCount, focusIndex === -1 ? -1 : Math.floor(focusIndex / columns), onEndReached)

  return (
    <div
      ref={listRef}
      className={classes.scroller}
      style={{ height }}
      role="listbox"
      aria-label={label}
      aria-multiselectable
      aria-orientation="horizontal"
      tabIndex={0}
      aria-activedescendant={focusIndex === -1 ? undefined : optionId(idPrefix, focusIndex)}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => {
        if ((event.target as HTMLElement).closest('[role="option"]')) return
        event.preventDefault()
        onMenu(null, event.clientX, event.clientY)
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="presentation">
        {rows.map((row) => (
          <div key={row.index} role="presentation" style={{ position: 'absolute', top: row.start, left: 4, right: 4, height: row.size, display: 'grid', gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: 4 }}>
            {entries.slice(row.index * columns, row.index * columns + columns).map((entry, offset) => {
              const index = row.index * columns + offset
              const base = baseName(entry.name)
              const selected = selection.selected.has(entry.name)
              return (
                <div
                  key={entry.name}
                  id={optionId(idPrefix, index)}
                  role="option"
                  aria-label={base}
                  aria-selected={selected}
                  data-type={entry.type}
                  title={entry.name}
                  className={`${classes.tile} ${selected ? classes.selected : ''} ${index === focusIndex ? classes.focused : ''} ${drag.over === entry.name ? classes.dropTarget : ''}`}
                  {...entryMouseHandlers(entry, { listRef, onPick, onOpen, onMenu, drag })}
                >
                  <div className={classes.thumb}>
                    <Thumbnail alias={alias} entry={entry} />
                  </div>
                  <span className={classes.tileName}>{base}</span>
                  <span style={{ color: 'var(--mantine-color-dimmed)', fontSize: 10 }}>{entry.type === 'dir' ? 'folder' : entry.size !== undefined ? formatBytes(entry.size) : ''}</span>
                </div>
              )
            })}
          </div>
        ))}
      </div>
    </div>
  )
}
