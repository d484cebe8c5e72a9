import { useMemo } from 'react'
import { useApiQuery } from '../../../api/hooks'
import { consoleDialect, type ConsoleDialect } from './sql-dialect'

/** The SQL dialect of a data alias, from its engine in the settings (standard SQL until they load). */
export function useAliasDialect(alias: string): ConsoleDialect {
  const settings = useApiQuery('settings.get', {})
  const engine = settings.data?.aliases.find((a) => a.kind === 'data' && a.name === alias)?.engine
  return useMemo(() => consoleDialect(engine), [engine])
}
