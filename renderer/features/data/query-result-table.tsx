import { Badge, Group, Text } from '@mantine/core'
import { useMemo } from 'react'
import type { MethodOutput } from '../../../main/api/contract'
import { formatMs } from '../../components/format'
import { VirtualTable, type VirtualColumn } from '../../components/virtual-table/virtual-table'
import { countOf } from '../../../main/api/contract'

type QueryResult = MethodOutput<'data.query'>
type Row = QueryResult['rows'][number]

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Width from the header and the first rows' text, so short columns stay narrow and long ones are capped. */
function columnWidth(name: string, type: string | undefined, rows: readonly Row[], index: number): number {
  // The header shows the name in bold and the type after it.
  let chars = name.length + (type ? type.length + 1 : 0) + 3
  for (const row of rows.slice(0, 50)) chars = Math.max(chars, cellText(row[index]).length)
  return Math.min(360, Math.max(72, chars * 7 + 18))
}

export function QueryResultTable({ result }: { result: QueryResult }) {
  const columns = useMemo<VirtualColumn<Row>[]>(
    () =>
      result.columns.map((column, index) => ({
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
        width: columnWidth(column.name, column.type, result.rows, index),
        monospace: true,
        render: (row) => {
          const value = row[index]
          return value === null || value === undefined ? <Text span c="dimmed" fz="xs" fs="italic">NULL</Text> : cellText(value)
        },
        title: (row) => cellText(row[index]),
      })),
    [result],
  )
  return (
    <div>
      <Group gap="sm" mb={6} aria-label="Query summary">
        <Text size="sm" fw={600}>
          {countOf(result.rowCount, 'row')}
        </Text>
        {result.truncated && (
          <Badge color="yellow" title="Only the first rows were fetched">
            truncated
          </Badge>
        )}
        <Text size="xs" c="dimmed" ff="monospace">
          {formatMs(result.durationMs)}
        </Text>
      </Group>
      {result.columns.length > 0 ? (
        <VirtualTable aria-label="Query result" rows={result.rows} columns={columns} rowKey={(_row, index) => `${index}`} maxHeight="calc(100vh - 420px)" />
      ) : (
        <Text size="sm" c="dimmed">
          The statement returned no columns.
        </Text>
      )}
    </div>
  )
}
