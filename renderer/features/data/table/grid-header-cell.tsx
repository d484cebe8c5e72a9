import { Tooltip } from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconKey, IconLink } from '@tabler/icons-react'
import { ColumnResizeHandle } from '../../../components/virtual-table/column-resize-handle'
import type { GridColumn } from './grid-model'
import classes from './data-grid.module.css'

interface GridHeaderCellProps {
  column: GridColumn
  width: number
  /** 0-based position in the sort, or -1. */
  sortIndex: number
  descending: boolean
  sortCount: number
  onSort: (additive: boolean) => void
  onResize: (width: number) => void
  onFit: () => void
}

function describe(column: GridColumn): string {
  return [
    `${column.name} ${column.type || 'any'}${column.nullable ? '' : ' NOT NULL'}`,
    column.primaryKey > 0 ? `primary key${column.primaryKey > 1 ? ` (column ${column.primaryKey})` : ''}` : '',
    column.references ? `references ${column.references}` : '',
    column.defaultValue !== null ? `default ${column.defaultValue}` : '',
    column.generated ? 'filled by the database' : '',
    'Click to sort, Shift+click to sort by more columns',
  ]
    .filter(Boolean)
    .join('\n')
}

/** Name, type and keys of a column; a click sorts (ascending, descending, off), Shift adds it to the sort. */
export function GridHeaderCell({ column, width, sortIndex, descending, sortCount, onSort, onResize, onFit }: GridHeaderCellProps) {
  const sorted = sortIndex >= 0
  return (
    <Tooltip label={describe(column)} multiline openDelay={700} position="bottom-start" style={{ whiteSpace: 'pre-line' }} maw={360}>
      <div
        role="columnheader"
        aria-sort={sorted ? (descending ? 'descending' : 'ascending') : 'none'}
        aria-label={column.name}
        data-column={column.name}
        className={classes.headerCell}
        onClick={(event) => onSort(event.shiftKey)}
      >
        {column.primaryKey > 0 && <IconKey size={12} color="var(--mantine-color-yellow-filled)" aria-label="primary key" style={{ flex: 'none' }} />}
        {column.references && <IconLink size={12} color="var(--mantine-color-blue-filled)" aria-label={`references ${column.references}`} style={{ flex: 'none' }} />}
        <span className={classes.headerName}>{column.name}</span>
        <span className={classes.headerType}>{column.type.toLowerCase()}</span>
        {sorted && (
          <span className={classes.sortMark} aria-hidden>
            {descending ? <IconArrowDown size={12} /> : <IconArrowUp size={12} />}
            {sortCount > 1 && sortIndex + 1}
          </span>
        )}
        <ColumnResizeHandle label={`Resize column ${column.name}`} width={width} onResize={onResize} onFit={onFit} />
      </div>
    </Tooltip>
  )
}
