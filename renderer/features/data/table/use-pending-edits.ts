import { useMemo, useState } from 'react'
import { summarize, type PendingEdit } from './pending-changes'

/** The table view's pending edits: a log with undo, and its summary (what is edited, added, deleted). */
export function usePendingEdits() {
  const [log, setLog] = useState<readonly PendingEdit[]>([])
  const [nextNew, setNextNew] = useState(1)
  const summary = useMemo(() => summarize(log), [log])
  const push = (edit: PendingEdit) => setLog((current) => [...current, edit])
  return {
    log,
    summary,
    push,
    /** A new, empty row; returns its id. */
    addRow(): string {
      const rowId = `new:${nextNew}`
      setNextNew((n) => n + 1)
      push({ op: 'add', rowId })
      return rowId
    },
    undo: () => setLog((current) => current.slice(0, -1)),
    discard: () => setLog([]),
  }
}
