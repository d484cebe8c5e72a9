import { Badge, Button, Group, Stack, Text, Tooltip } from '@mantine/core'
import { countOf } from '../../../../main/api/contract'
import { CodeBlock } from '../../../components/code-block'
import { formatMs } from '../../../components/format'
import { ExportMenu } from '../export/export-menu'
import { CopyResultMenu } from './result-actions'
import classes from './console.module.css'
import { ResultGrid } from './result-grid'
import { leadingKeyword, onlyReads } from './sql-statements'
import { MORE_ROWS, type QueryResult } from './use-console-run'

interface ResultViewProps {
  alias: string
  index: number
  result: QueryResult
  statement: string
  maxRows: number
  busy: boolean
  onLoadMore: () => void
}

/** One statement's answer: the rows (or how many rows it changed), how long it took, copy and export. */
export function ResultView({ alias, index, result, statement, maxRows, busy, onLoadMore }: ResultViewProps) {
  const reads = onlyReads(statement)
  // DDL reports no rows changed: "0 rows affected" would read as if it did nothing.
  const changesRows = result.rowCount > 0 || /^(INSERT|UPDATE|DELETE|MERGE|REPLACE|UPSERT)$/.test(leadingKeyword(statement))
  const count = result.kind === 'write' ? (changesRows ? `${countOf(result.rowCount, 'row')} affected` : 'Done') : result.truncated ? `First ${countOf(result.rowCount, 'row')}` : countOf(result.rowCount, 'row')
  return (
    <Stack gap={6} className={classes.fill}>
      <Group justify="space-between" gap="xs">
        <Group gap="sm" aria-label="Result summary">
          <Text size="sm" fw={600}>
            {count}
          </Text>
          {result.truncated && (
            <Badge color="yellow" variant="light" tt="none" title={`The statement has more rows; the first ${maxRows.toLocaleString('en')} were read.`}>
              more not read
            </Badge>
          )}
          {result.truncated && maxRows < MORE_ROWS && (
            <Tooltip label={reads ? 'Runs the statement again and reads up to 10,000 rows' : 'Only a statement that just reads is run again; export it instead'} withArrow>
              <Button size="compact-xs" variant="light" onClick={onLoadMore} disabled={!reads || busy}>
                Load {MORE_ROWS.toLocaleString('en')}
              </Button>
            </Tooltip>
          )}
          <Text size="xs" c="dimmed" ff="monospace">
            {formatMs(result.durationMs)}
          </Text>
        </Group>
        {result.kind === 'rows' && (
          <Group gap={6}>
            <CopyResultMenu result={result} />
            {reads && <ExportMenu alias={alias} source={{ sql: statement }} title="Every row of the statement, as" size="compact-xs" />}
          </Group>
        )}
      </Group>
      {result.kind === 'write' ? (
        <div className={classes.scroll}>
          <CodeBlock maxHeight={160} label="Statement">
            {statement}
          </CodeBlock>
        </div>
      ) : result.columns.length === 0 ? (
        <Text size="sm" c="dimmed">
          No rows.
        </Text>
      ) : (
        <div className={classes.fill}>
          <ResultGrid result={result} label={`Result of statement ${index + 1}`} />
        </div>
      )}
    </Stack>
  )
}
