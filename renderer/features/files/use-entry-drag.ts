import { notifications } from '@mantine/notifications'
import { useRef, useState, type DragEvent } from 'react'
import { countOf } from '../../../main/api/contract'
import { ApiError } from '../../api/api-error'
import { useApiClient } from '../../api/hooks'
import { canDropInto, draggedNames, dropKind, ENTRIES_MIME, type DraggedEntries } from './entry-drag'
import { baseName } from './entry-names'
import type { Selection } from './selection'
import type { Conflict, StorageEntry } from './types'

/** The handlers a dragged entry and a folder that takes drops spread on their elements. */
export interface EntryDrag {
  source(entry: StorageEntry): { draggable: true; onDragStart(event: DragEvent): void; onDragEnd(): void }
  target(folder: string): { onDragOver(event: DragEvent): void; onDragLeave(event: DragEvent): void; onDrop(event: DragEvent): void }
  /** The folder a drag is over now, to show it as the drop's target. */
  over: string | null
}

/**
 * Drag entries onto a folder (a row, a tile, a breadcrumb) of the same alias to move them there, with
 * Alt or Ctrl to copy: a transfer in the queue, with its progress, as the Move to… dialog starts one.
 * Names taken in the target are resolved as the toolbar's choice says.
 */
export function useEntryDrag({ alias, selection, conflict, onStarted }: { alias: string; selection: Selection; conflict: Conflict; onStarted: () => void }): EntryDrag {
  const client = useApiClient()
  // Held here, not read from the drag's data: a page may only read that at the drop, not while over a target.
  const dragged = useRef<DraggedEntries | null>(null)
  const [over, setOver] = useState<string | null>(null)

  const start = async (kind: 'copy' | 'move', names: readonly string[], folder: string) => {
    try {
      await client.call('storage.startTransfer', { kind, from: { alias, names: [...names] }, to: { alias, folder }, conflict })
      onStarted()
    } catch (error) {
      const what = names.length === 1 ? `“${baseName(names[0] ?? '')}”` : countOf(names.length, 'item')
      notifications.show({ title: `Could not ${kind} ${what} to ${alias}:/${folder}`, message: ApiError.from(error).message, color: 'red' })
    }
  }
  // Our own drag, by its type, not only by the ref: a drag whose row scrolled out of the list never
  // gets its dragend, and a desktop file dropped later must upload, not move what was dragged before.
  const ours = (event: DragEvent) => event.dataTransfer.types.includes(ENTRIES_MIME) && !event.dataTransfer.types.includes('Files')
  const droppable = (event: DragEvent, folder: string) => ours(event) && dragged.current !== null && canDropInto(dragged.current, alias, folder)

  return {
    over,
    source: (entry) => ({
      draggable: true,
      onDragStart: (event) => {
        const names = draggedNames(entry.name, selection)
        dragged.current = { alias, names }
        event.dataTransfer.setData(ENTRIES_MIME, JSON.stringify(dragged.current))
        // Dropped on a text field or another program: the names, one a line.
        event.dataTransfer.setData('text/plain', names.join('\n'))
        event.dataTransfer.effectAllowed = 'copyMove'
      },
      onDragEnd: () => {
        dragged.current = null
        setOver(null)
      },
    }),
    target: (folder) => ({
      onDragOver: (event) => {
        if (!droppable(event, folder)) return
        event.preventDefault()
        event.stopPropagation()
        event.dataTransfer.dropEffect = dropKind(event)
        setOver(folder)
      },
      onDragLeave: (event) => {
        // Into one of the target's own children is still over it.
        if (event.currentTarget.contains(event.relatedTarget as Node | null)) return
        setOver((now) => (now === folder ? null : now))
      },
      onDrop: (event) => {
        const drag = dragged.current
        if (!drag || !droppable(event, folder)) return
        event.preventDefault()
        event.stopPropagation()
        dragged.current = null
        setOver(null)
        void start(dropKind(event), drag.names, folder)
      },
    }),
  }
}
