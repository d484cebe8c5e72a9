import type { Virtualizer } from '@tanstack/react-virtual'
import { useEffect } from 'react'

/**
 * What the list and the grid both do with their virtualizer: ask for the next page once the last row is
 * drawn, and keep the focused row in view when the focus moves (not when pages arrive).
 */
export function useVirtualFollow(virtualizer: Virtualizer<HTMLDivElement, Element>, rowCount: number, focusRow: number, onEndReached: () => void): void {
  const lastRow = virtualizer.getVirtualItems().at(-1)?.index ?? -1
  useEffect(() => {
    if (rowCount > 0 && lastRow >= rowCount - 1) onEndReached()
  }, [lastRow, rowCount, onEndReached])
  useEffect(() => {
    if (focusRow !== -1) virtualizer.scrollToIndex(focusRow, { align: 'auto' })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the focus moves, not when pages arrive
  }, [focusRow])
}
