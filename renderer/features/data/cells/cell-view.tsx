import { formatBytes } from '../../../components/format'
import classes from './cell-view.module.css'
import { BYTES_SHOWN, base64ToBytes, bytesToHex, cellKind, formatCell, type BytesCell, type CutTextCell, type JsonValueCell } from './cell-value'

export { formatCell } from './cell-value'

/** Characters drawn in a cell: it is one line, cut by CSS long before this. */
const TEXT_SHOWN = 300

/** SQL NULL: a dimmed badge, never the same as the text 'NULL' (which is drawn as text). */
export function NullBadge() {
  return (
    <span className={classes.null} data-null="true" aria-label="NULL value">
      NULL
    </span>
  )
}

/**
 * One cell of a result or a table page, on one line: NULL as a badge, bytes as hex with their size,
 * JSON compact, cut text with its full length. Alignment is the caller's (numbers go right).
 */
export function CellView({ value }: { value: unknown }) {
  switch (cellKind(value)) {
    case 'null':
      return <NullBadge />
    case 'string': {
      const text = value as string
      if (text === '') return <span className={classes.empty}>empty</span>
      return <>{oneLine(text)}</>
    }
    case 'number':
      return <>{String(value)}</>
    case 'boolean':
      return <span className={classes.boolean}>{String(value)}</span>
    case 'bytes': {
      const cell = value as BytesCell
      const bytes = base64ToBytes(cell.$bytes.slice(0, Math.ceil(BYTES_SHOWN / 3) * 4))
      // The size comes first in the markup so that, floated right, it stays in view when the hex is cut.
      return (
        <>
          <span className={`${classes.meta} ${classes.end}`}>{formatBytes(cell.size)}</span>
          <span className={classes.bytes}>
            \x{bytesToHex(bytes, BYTES_SHOWN)}
            {cell.size > BYTES_SHOWN ? '…' : ''}
          </span>
        </>
      )
    }
    case 'json':
      return <span className={classes.json}>{oneLine(JSON.stringify((value as JsonValueCell).$json) ?? 'null')}</span>
    case 'text': {
      const cell = value as CutTextCell
      return (
        <>
          <span className={`${classes.meta} ${classes.end}`}>{cell.size.toLocaleString('en')} chars</span>
          {oneLine(cell.$text)}…
        </>
      )
    }
    default:
      return <span className={classes.json}>{oneLine(formatCell(value))}</span>
  }
}

function oneLine(text: string): string {
  const head = text.length > TEXT_SHOWN ? text.slice(0, TEXT_SHOWN) : text
  return head.replace(/\r?\n|\r/g, '↵')
}
