import { useWindowEvent } from '@mantine/hooks'
import type { RefObject } from 'react'
import { isTypingTarget } from './keyboard-targets'

interface SlashFocusOptions {
  /**
   * Also while a dialog or popover is open: the outbox's search help is a popover beside its box, and
   * "/" reaches the box with it open. Otherwise "/" is left to the dialog.
   */
  whileDialogOpen?: boolean
}

/** "/" jumps to a page's search box, as in most list browsers; not while typing elsewhere, nor (unless told) in a dialog. */
export function useSlashFocus(input: RefObject<HTMLInputElement | null>, { whileDialogOpen = false }: SlashFocusOptions = {}): void {
  useWindowEvent('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(document.activeElement)) return
    if (!whileDialogOpen && document.querySelector('[role="dialog"]')) return
    event.preventDefault()
    input.current?.focus()
    input.current?.select()
  })
}
