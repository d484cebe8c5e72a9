import { useQueryClient } from '@tanstack/react-query'
import { useMemo } from 'react'
import { apiQueryKey, useApiClient } from '../../../api/hooks'
import type { SchemaCatalog } from './schema-completion'

/** Tables and columns change rarely; a statement that changes them invalidates data.tables and data.describe. */
const STALE_MS = 60_000

/**
 * Completion's view of the database, through the query cache under the same keys the table tree uses,
 * so a table is listed and described once per alias however often completion asks.
 */
export function useSchemaCatalog(alias: string): SchemaCatalog {
  const client = useApiClient()
  const queryClient = useQueryClient()
  return useMemo<SchemaCatalog>(
    () => ({
      tables: () => queryClient.fetchQuery({ queryKey: apiQueryKey('data.tables', { alias }), queryFn: () => client.call('data.tables', { alias }), staleTime: STALE_MS }),
      columns: async (table) => {
        const ref = table.schema === undefined ? { name: table.name } : { schema: table.schema, name: table.name }
        const input = { alias, table: ref }
        const detail = await queryClient.fetchQuery({ queryKey: apiQueryKey('data.describe', input), queryFn: () => client.call('data.describe', input), staleTime: STALE_MS })
        return detail.columns
      },
    }),
    [alias, client, queryClient],
  )
}
