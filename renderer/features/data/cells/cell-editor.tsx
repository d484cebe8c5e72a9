import { useRef, useState } from 'react'
import { parseTyped, type EditMode } from './cell-input'
import classes from './cell-editor.module.css'

export type EditMove = 'stay' | 'right' | 'left' | 'down'

interface CellEditorProps {
  initialText: string
  mode: EditMode
  type?: string
  /** NOT NULL columns have no NULL button. */
  nullable: boolean
  onCommit: (value: unknown, move: EditMove) => void
  onCancel: () => void
}

/**
 * The inline editor of one grid cell: Enter keeps the value, Tab keeps it and moves on, Esc backs out,
 * "NULL" sets SQL NULL (not the text). Typed text is read by the column's kind (number, boolean, JSON).
 */
export function CellEditor({ initialText, mode, type, nullable, onCommit, onCancel }: CellEditorProps) {
  const [text, setText] = useState(initialText)
  const [error, setError] = useState<string | null>(null)
  const done = useRef(false)
  const commit = (move: EditMove) => {
    if (done.current) return true
    const parsed = parseTyped(text, mode, type)
    if (!parsed.ok) {
      setError(parsed.error)
      return false
    }
    done.current = true
    onCommit(parsed.value, move)
    return true
  }
  return (
    <div className={`${classes.editor} ${error ? classes.invalid : ''}`} title={error ?? undefined} onMouseDown={(event) => event.stopPropagation()} onDoubleClick={(event) => event.stopPropagation()}>
      <input
        className={classes.input}
        aria-label="Cell value"
        aria-invalid={error !== null}
        value={text}
        autoFocus
        spellCheck={false}
        onFocus={(event) => {
          const input = event.currentTarget
          input.setSelectionRange(input.value.length, input.value.length)
        }}
        onChange={(event) => {
          setText(event.currentTarget.value)
          setError(null)
        }}
        onKeyDown={(event) => {
          event.stopPropagation()
          if (event.key === 'Enter') {
            event.preventDefault()
            commit('stay')
          } else if (event.key === 'Tab') {
            event.preventDefault()
            commit(event.shiftKey ? 'left' : 'right')
          } else if (event.key === 'Escape') {
            event.preventDefault()
            done.current = true
            onCancel()
          }
        }}
        onBlur={() => {
          // Clicking elsewhere keeps a valid value, as a spreadsheet does; an invalid one is dropped.
          if (!done.current && !commit('stay')) {
            done.current = true
            onCancel()
          }
        }}
      />
      <button
        type="button"
        className={classes.nullButton}
        disabled={!nullable}
        title={nullable ? 'Set SQL NULL' : 'This column is NOT NULL'}
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => {
          done.current = true
          onCommit(null, 'stay')
        }}
      >
        NULL
      </button>
      {error && (
        <div className={classes.error} role="alert">
          {error}
        </div>
      )}
    </div>
  )
}
