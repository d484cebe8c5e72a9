import { Text } from '@mantine/core'
import { useMemo, useState } from 'react'
import { fitWidth } from '../../../components/virtual-table/fit-width'
import { VirtualTable, type VirtualColumn } from '../../../components/virtual-table/virtual-table'
import { CellInspector } from '../cells/cell-inspector'
import { formatCell, isExpandable, isNumericCell, isNumericType } from '../cells/cell-value'
import { CellView } from '../cells/cell-view'
import { cellFonts, sampleText, type CellFonts } from '../cells/cell-width'
import type { QueryResult } from './use-console-run'

type Row = QueryResult['rows'][number]

/** Width from the header and the first rows' text as drawn: short columns stay narrow, long ones are capped. */
function columnWidth(name: string, type: string | undefined, rows: readonly Row[], index: number, fonts: CellFonts): number {
  return fitWidth({
    header: type ? `${name} ${type.toLowerCase()}` : name,
    headerFont: fonts.header,
    samples: rows.slice(0, 50).map((row) => sampleText(row[index])),
    cellFont: fonts.cell,
    // The cell's padding and the resize handle.
    extra: 26,
    min: 64,
    max: 420,
  })
}

/** Numbers read right-aligned: by the column's type, or, where the server gave none (SQLite), by the first value. */
function isNumericColumn(type: string | undefined, rows: readonly Row[], index: number): boolean {
  if (type) return isNumericType(type)
  const first = rows.find((row) => row[index] !== null && row[index] !== undefined)?.[index]
  return first !== undefined && isNumericCell(first)
}

/** One result's rows, virtualized; a double click (or Enter on a row) opens a cell's whole value. */
export function ResultGrid({ result, label }: { result: QueryResult; label: string }) {
  const [inspected, setInspected] = useState<{ value: unknown; title: string } | null>(null)
  const columns = useMemo<VirtualColumn<Row>[]>(() => {
    const fonts = cellFonts()
    const numbers: VirtualColumn<Row> = {
      id: '#',
      header: '#',
      width: Math.max(40, String(result.rows.length).length * 8 + 18),
      align: 'right',
      render: (_row, index) => (
        <Text span fz="xs" c="dimmed">
          {index + 1}
        </Text>
      ),
    }
    return [
      numbers,
      ...result.columns.map((column, index): VirtualColumn<Row> => {
        const title = column.type ? `${column.name} ${column.type.toLowerCase()}` : column.name
        return {
          id: `${index}`,
          header: (
            <span title={column.type}>
              {column.name}
              {column.type && (
                <Text span size="xs" c="dimmed" fw={400}>
                  {' '}
                  {column.type.toLowerCase()}
                </Text>
              )}
            </span>
          ),
          width: columnWidth(column.name, column.type, result.rows, index, fonts),
          monospace: true,
          align: isNumericColumn(column.type, result.rows, index) ? 'right' : 'left',
          render: (row) => (
            <span onDoubleClick={() => setInspected({ value: row[index], title })} style={{ cursor: isExpandable(row[index]) ? 'zoom-in' : undefined }}>
              <CellView value={row[index]} />
            </span>
          ),
          title: (row) => formatCell(row[index]).slice(0, 2000),
        }
      }),
    ]
  }, [result])
  return (
    <>
      <VirtualTable aria-label={label} rows={result.rows} columns={columns} rowKey={(_row, index) => `${index}`} fill resizable />
      <CellInspector opened={inspected !== null} onClose={() => setInspected(null)} value={inspected?.value} title={inspected?.title ?? 'Value'} />
    </>
  )
}
