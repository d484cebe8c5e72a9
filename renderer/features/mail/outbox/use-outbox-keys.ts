import { useEffect, useRef, type RefObject } from 'react'
import { isActivatable, isInOverlay, isTypingTarget } from '../../../components/keyboard-targets'

export interface OutboxKeyActions {
  move: (step: 1 | -1) => void
  open: () => void
  remove: () => void
  toggleRead: () => void
}

/**
 * A mail client's keys: j/k (and the arrows, over the list) move the selection, Enter opens it,
 * Delete (Backspace on a Mac keyboard) deletes it, r toggles read. Moving does not open, so
 * skimming the list does not mark everything read.
 */
export function useOutboxKeys(actions: OutboxKeyActions, list: RefObject<HTMLElement | null>): void {
  const latest = useRef(actions)
  useEffect(() => {
    latest.current = actions
  })
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { target } = event
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(target) || isInOverlay(target)) return
      // The arrows scroll whatever has focus (the raw source, the page); over the list they select.
      const overList = target === document.body || (target instanceof Node && list.current?.contains(target) === true)
      const { move, open, remove, toggleRead } = latest.current
      const step = event.key === 'j' || (event.key === 'ArrowDown' && overList) ? 1 : event.key === 'k' || (event.key === 'ArrowUp' && overList) ? -1 : 0
      let run: (() => void) | undefined
      if (step !== 0) run = () => move(step)
      else if (event.key === 'Enter' && !isActivatable(target)) run = open
      else if (event.key === 'Delete' || (event.key === 'Backspace' && !isActivatable(target))) run = remove
      else if (event.key === 'r' && !event.shiftKey) run = toggleRead
      if (!run) return
      event.preventDefault()
      // Moving through the list means working in it: focus left on a clicked row, the sidebar link
      // or a tab would otherwise take the next Enter for itself instead of opening the selection.
      if (step !== 0 && target instanceof HTMLElement && target !== document.body) target.blur()
      run()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [list])
}
