import { useRef, type PointerEvent } from 'react'
import classes from './virtual-table.module.css'

interface ColumnResizeHandleProps {
  width: number
  onResize: (width: number) => void
  /** Double-click: back to the width that fits the content. */
  onFit?: () => void
  label: string
  min?: number
}

/** The drag handle at a header's right edge (pointer capture, so a fast drag does not lose it); arrows resize from the keyboard. */
export function ColumnResizeHandle({ width, onResize, onFit, label, min = 40 }: ColumnResizeHandleProps) {
  const drag = useRef<{ x: number; width: number } | null>(null)
  const down = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault()
    event.stopPropagation()
    event.currentTarget.setPointerCapture(event.pointerId)
    drag.current = { x: event.clientX, width }
  }
  const move = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return
    onResize(Math.max(min, Math.round(drag.current.width + event.clientX - drag.current.x)))
  }
  const up = (event: PointerEvent<HTMLDivElement>) => {
    drag.current = null
    event.currentTarget.releasePointerCapture(event.pointerId)
  }
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      tabIndex={-1}
      className={classes.resizer}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      onClick={(event) => event.stopPropagation()}
      onDoubleClick={(event) => {
        event.stopPropagation()
        onFit?.()
      }}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
          event.preventDefault()
          onResize(Math.max(min, width + (event.key === 'ArrowLeft' ? -16 : 16)))
        }
      }}
    />
  )
}
