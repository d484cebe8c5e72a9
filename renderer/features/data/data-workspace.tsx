import { Center, Grid, Loader, Stack } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useApiMutation } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'
import { QueryResultTable } from './query-result-table'
import { selectAllFrom } from './quote-identifier'
import { SqlEditor } from './sql-editor'
import { TableList } from './table-list'

const MAX_ROWS = 1000

/** Tables on the left, the SQL editor and its result on the right. */
export function DataWorkspace({ alias }: { alias: string }) {
  const [sql, setSql] = useState('')
  const queryClient = useQueryClient()
  // A statement may have created or dropped a table: list them again after each one.
  const query = useApiMutation('data.query', { onSettled: () => void queryClient.invalidateQueries({ queryKey: ['data.tables'] }) })
  const run = (statement = sql) => {
    if (statement.trim() !== '') query.mutate({ alias, sql: statement, maxRows: MAX_ROWS })
  }
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, sm: 3 }}>
        <TableList
          alias={alias}
          onOpen={(table) => {
            const statement = selectAllFrom(table)
            setSql(statement)
            run(statement)
          }}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 9 }}>
        <Stack gap="sm">
          <SqlEditor value={sql} onChange={setSql} onRun={() => run()} running={query.isPending} />
          {query.isPending && (
            <Center py="md">
              <Loader size="sm" aria-label="Running the statement" />
            </Center>
          )}
          {query.isError && <ErrorAlert error={query.error} title="The statement failed" />}
          {query.data && !query.isPending && <QueryResultTable result={query.data} />}
        </Stack>
      </Grid.Col>
    </Grid>
  )
}
