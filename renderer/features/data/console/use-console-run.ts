import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react'
import { ErrorCode, type MethodInput, type MethodOutput } from '../../../../main/api/contract'
import { ApiError } from '../../../api/api-error'
import { useApiClient } from '../../../api/hooks'
import type { ConsoleEditorHandle, RunTarget } from './console-editor'
import { errorRange } from './error-range'
import type { ConsoleDialect } from './sql-dialect'
import { splitScript } from './sql-statements'

export type QueryResult = MethodOutput<'data.script'>['results'][number]

/** Rows a run reads per result; "Load more" runs a read-only statement again with MORE_ROWS. */
export const MAX_ROWS = 1000
export const MORE_ROWS = 10_000

export type ConsoleTab =
  | { key: string; kind: 'result'; index: number; result: QueryResult; statement: string; maxRows: number }
  /** `index` is null when the whole call failed (the alias, the connection), not one statement. */
  | { key: string; kind: 'error'; index: number | null; error: ApiError; statement?: string | undefined }
  | { key: 'plan'; kind: 'plan'; statement: string; result?: QueryResult; error?: ApiError }

export interface RunSummary {
  outcome: 'ok' | 'failed' | 'cancelled'
  statements: number
  /** Rows returned, over the statements that returned rows. */
  rows: number
  /** Rows changed, over the statements that wrote. */
  affected: number
  durationMs: number
  failedAt?: number
}

export interface Running {
  /** Null for a call that cannot be cancelled (EXPLAIN). */
  queryId: string | null
  /** performance.now() when it started, for the ticking clock. */
  startedAt: number
  what: string
  cancelling: boolean
}

export interface PendingConfirmation {
  sql: string
  offset: number
  statements: { index: number; reason: string; text: string }[]
}

interface RunRequest {
  sql: string
  /** Where the sent text starts in the editor, so that an error position lands on the right character. */
  offset: number
}

type Details = { position?: unknown; serverCode?: unknown; statements?: unknown } | null | undefined

const detailsOf = (error: { details?: unknown }): Details => (typeof error.details === 'object' ? (error.details as Details) : undefined)

/**
 * The console's runs: every statement of a script through data.script with a fresh queryId (so Cancel
 * and Esc can stop it at the server), a tab per statement's result, the failure underlined where the
 * server says, destructive statements confirmed first, and each run added to the alias's history.
 */
export function useConsoleRun(alias: string, editor: RefObject<ConsoleEditorHandle | null>, dialect: ConsoleDialect) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const [running, setRunningState] = useState<Running | null>(null)
  const [tabs, setTabs] = useState<ConsoleTab[]>([])
  const [active, setActive] = useState<string | null>(null)
  const [summary, setSummary] = useState<RunSummary | null>(null)
  const [confirmation, setConfirmation] = useState<PendingConfirmation | null>(null)
  const current = useRef<Running | null>(null)
  const runs = useRef(0)

  const setRunning = useCallback((next: Running | null) => {
    current.current = next
    setRunningState(next)
  }, [])

  // Leaving the console (another page, another alias) stops what it was running.
  useEffect(
    () => () => {
      const queryId = current.current?.queryId
      if (queryId) void client.call('data.cancel', { alias, queryId }).catch(() => undefined)
    },
    [alias, client],
  )

  const record = useCallback(
    (run: Omit<MethodInput<'dataConsole.record'>, 'alias'>) => {
      void client
        .call('dataConsole.record', { alias, ...run })
        .catch(() => undefined)
        .finally(() => void queryClient.invalidateQueries({ queryKey: ['dataConsole.history'] }))
    },
    [alias, client, queryClient],
  )

  /** A statement may have created, altered or dropped a table: the tree and completion read them again. */
  const schemaMayHaveChanged = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['data.tables'] })
    void queryClient.invalidateQueries({ queryKey: ['data.describe'] })
  }, [queryClient])

  const underline = useCallback(
    (request: RunRequest, snapshot: ReturnType<ConsoleEditorHandle['snapshot']>, statementIndex: number, error: { message: string; details?: unknown; code: string }) => {
      const handle = editor.current
      if (!handle || !handle.unchangedSince(snapshot)) return
      const details = detailsOf(error)
      const position = typeof details?.position === 'number' ? details.position : undefined
      const range = errorRange(request.sql, { statementIndex, message: error.message, position }, dialect.rules)
      const serverCode = typeof details?.serverCode === 'string' || typeof details?.serverCode === 'number' ? String(details.serverCode) : error.code
      handle.showError({ from: range.from + request.offset, to: range.to + request.offset }, error.message, serverCode)
    },
    [dialect.rules, editor],
  )

  const run = useCallback(
    async (request: RunRequest, confirmed = false) => {
      if (current.current || request.sql.trim() === '') return
      const queryId = crypto.randomUUID()
      const statements = splitScript(request.sql, dialect.rules)
      setRunning({ queryId, startedAt: performance.now(), what: statements.length > 1 ? `${statements.length} statements` : 'the statement', cancelling: false })
      setConfirmation(null)
      editor.current?.clearErrors()
      const snapshot = editor.current?.snapshot()
      const ranAt = new Date().toISOString()
      const started = performance.now()
      const seq = ++runs.current
      const elapsed = () => Math.round(performance.now() - started)
      try {
        const answer = await client.call('data.script', { alias, sql: request.sql, maxRows: MAX_ROWS, queryId, confirmDestructive: !confirmed })
        const next: ConsoleTab[] = answer.results.map((result, index) => ({ key: `${seq}-${index}`, kind: 'result', index, result, statement: result.statement ?? statements[index]?.text ?? request.sql, maxRows: MAX_ROWS }))
        const rows = answer.results.reduce((n, r) => n + (r.kind === 'rows' ? r.rowCount : 0), 0)
        const affected = answer.results.reduce((n, r) => n + (r.kind === 'write' ? r.rowCount : 0), 0)
        const base = { statements: answer.results.length, rows, affected, durationMs: elapsed() }
        if (answer.failure) {
          const { statementIndex, error } = answer.failure
          next.push({ key: `${seq}-error`, kind: 'error', index: statementIndex, error: new ApiError(error), statement: statements[statementIndex]?.text })
          setTabs(next)
          setActive(`${seq}-error`)
          setSummary({ ...base, outcome: 'failed', failedAt: statementIndex })
          underline(request, snapshot, statementIndex, error)
          record({ sql: request.sql, ranAt, durationMs: base.durationMs, outcome: 'failed', statements: base.statements, rowCount: rows + affected, error: error.message.slice(0, 10_000) })
        } else {
          setTabs(next)
          setActive((next.findLast((t) => t.kind === 'result' && t.result.kind === 'rows') ?? next.at(-1))?.key ?? null)
          setSummary({ ...base, outcome: 'ok' })
          record({ sql: request.sql, ranAt, durationMs: base.durationMs, outcome: 'ok', statements: base.statements, rowCount: rows + affected })
        }
      } catch (thrown) {
        const error = ApiError.from(thrown)
        if (error.code === ErrorCode.E_NEEDS_CONFIRMATION) {
          const listed = detailsOf(error)?.statements
          setConfirmation({ ...request, statements: Array.isArray(listed) ? (listed as PendingConfirmation['statements']) : [] })
        } else if (error.code === ErrorCode.E_CANCELLED) {
          setTabs([])
          setActive(null)
          setSummary({ outcome: 'cancelled', statements: 0, rows: 0, affected: 0, durationMs: elapsed() })
          record({ sql: request.sql, ranAt, durationMs: elapsed(), outcome: 'cancelled' })
        } else {
          setTabs([{ key: `${seq}-error`, kind: 'error', index: null, error }])
          setActive(`${seq}-error`)
          setSummary({ outcome: 'failed', statements: 0, rows: 0, affected: 0, durationMs: elapsed() })
          if (typeof detailsOf(error)?.position === 'number') underline(request, snapshot, 0, error)
          record({ sql: request.sql, ranAt, durationMs: elapsed(), outcome: 'failed', error: error.message.slice(0, 10_000) })
        }
      } finally {
        setRunning(null)
        schemaMayHaveChanged()
      }
    },
    [alias, client, dialect.rules, editor, record, schemaMayHaveChanged, setRunning, underline],
  )

  const cancel = useCallback((): boolean => {
    const now = current.current
    if (!now?.queryId || now.cancelling) return now !== null
    setRunning({ ...now, cancelling: true })
    void client.call('data.cancel', { alias, queryId: now.queryId }).catch((error: unknown) => {
      notifications.show({ color: 'red', title: 'Could not cancel', message: ApiError.from(error).message })
    })
    return true
  }, [alias, client, setRunning])

  const explain = useCallback(
    async (target: RunTarget) => {
      if (current.current) return
      setRunning({ queryId: null, startedAt: performance.now(), what: 'the plan', cancelling: false })
      editor.current?.clearErrors()
      const snapshot = editor.current?.snapshot()
      try {
        const result = await client.call('data.explain', { alias, sql: target.text })
        setTabs((old) => [...old.filter((t) => t.kind !== 'plan'), { key: 'plan', kind: 'plan', statement: target.text, result }])
      } catch (thrown) {
        const error = ApiError.from(thrown)
        setTabs((old) => [...old.filter((t) => t.kind !== 'plan'), { key: 'plan', kind: 'plan', statement: target.text, error }])
        // The server saw the statement behind EXPLAIN: its position is not one in the editor, the statement is.
        underline({ sql: target.text, offset: target.from }, snapshot, 0, { code: error.code, message: error.message, details: { serverCode: detailsOf(error)?.serverCode } })
      } finally {
        setActive('plan')
        setRunning(null)
      }
    },
    [alias, client, editor, setRunning, underline],
  )

  /** Runs a read-only statement of a truncated result again, with more rows, into the same tab. */
  const loadMore = useCallback(
    async (key: string) => {
      const tab = tabs.find((t) => t.key === key)
      if (current.current || tab?.kind !== 'result') return
      const queryId = crypto.randomUUID()
      const ranAt = new Date().toISOString()
      const started = performance.now()
      setRunning({ queryId, startedAt: started, what: `${MORE_ROWS.toLocaleString('en')} rows`, cancelling: false })
      try {
        const answer = await client.call('data.script', { alias, sql: tab.statement, maxRows: MORE_ROWS, queryId, confirmDestructive: true })
        const result = answer.results[0]
        const durationMs = Math.round(performance.now() - started)
        if (answer.failure || !result) throw new ApiError(answer.failure?.error ?? { code: ErrorCode.E_INTERNAL, message: 'The statement answered nothing.' })
        setTabs((old) => old.map((t) => (t.key === key ? { ...tab, result, maxRows: MORE_ROWS } : t)))
        record({ sql: tab.statement, ranAt, durationMs, outcome: 'ok', statements: 1, rowCount: result.rowCount })
      } catch (thrown) {
        const error = ApiError.from(thrown)
        const cancelled = error.code === ErrorCode.E_CANCELLED
        notifications.show({ color: cancelled ? 'gray' : 'red', title: cancelled ? 'Cancelled' : 'Could not load more rows', message: error.message })
        record({ sql: tab.statement, ranAt, durationMs: Math.round(performance.now() - started), outcome: cancelled ? 'cancelled' : 'failed', ...(cancelled ? {} : { error: error.message.slice(0, 10_000) }) })
      } finally {
        setRunning(null)
      }
    },
    [alias, client, record, setRunning, tabs],
  )

  const closeTab = useCallback((key: string) => {
    setTabs((old) => old.filter((t) => t.key !== key))
    setActive((now) => (now === key ? null : now))
  }, [])

  return { running, tabs, active, setActive, summary, confirmation, dismissConfirmation: () => setConfirmation(null), run, cancel, explain, loadMore, closeTab }
}
