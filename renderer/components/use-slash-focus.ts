import { useWindowEvent } from '@mantine/hooks'
import type { RefObject } from 'react'

function isTyping(element: Element | null): boolean {
  return element instanceof HTMLElement && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName))
}

/** "/" jumps to a page's search box, as in most list browsers; not while typing elsewhere or in a dialog. */
export function useSlashFocus(input: RefObject<HTMLInputElement | null>): void {
  useWindowEvent('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTyping(document.activeElement) || document.querySelector('[role="dialog"]')) return
    event.preventDefault()
    input.current?.focus()
    input.current?.select()
  })
}
