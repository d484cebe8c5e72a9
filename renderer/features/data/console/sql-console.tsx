import { Box, Group, SegmentedControl, Stack } from '@mantine/core'
import { useLocalStorage } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { ErrorCode } from '../../../../main/api/contract'
import { ApiError } from '../../../api/api-error'
import { useApiClient } from '../../../api/hooks'
import { MOD_KEY_LABEL } from '../../../components/mod-key'
import classes from './console.module.css'
import { ConfirmDestructiveDialog } from './confirm-destructive-dialog'
import { ConsoleEditor, type ConsoleEditorHandle } from './console-editor'
import { ConsoleEmptyState } from './console-empty-state'
import { ConsoleToolbar } from './console-toolbar'
import { HistoryPanel } from './history-panel'
import { ResultTabs } from './result-tabs'
import { RunStatus } from './run-status'
import { SaveQueryDialog, type SavedQuery, type SaveRequest } from './save-query-dialog'
import { SavedQueriesPanel } from './saved-queries-panel'
import { schemaCompletion } from './schema-completion'
import { useAliasDialect } from './use-alias-dialect'
import { useConsoleDraft } from './use-console-draft'
import { useConsoleRun } from './use-console-run'
import { useSchemaCatalog } from './use-schema-catalog'

interface SqlConsoleProps {
  alias: string
  /** Accepted from the workspace; completion reads the tables itself, through the same query cache. */
  schema?: string | undefined
  tables?: readonly { schema?: string | undefined; name: string }[]
}

/**
 * The SQL console of a database alias: an editor in the alias's dialect with schema completion, runs
 * of a statement, a selection or the whole script with a result tab per statement, cancel, EXPLAIN,
 * errors underlined where the server says, destructive statements confirmed, and the alias's history
 * and saved queries beside it.
 */
export function SqlConsole({ alias }: SqlConsoleProps) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const dialect = useAliasDialect(alias)
  const catalog = useSchemaCatalog(alias)
  const completion = useMemo(() => schemaCompletion(catalog, dialect), [catalog, dialect])
  const editor = useRef<ConsoleEditorHandle>(null)
  const draft = useConsoleDraft(alias)
  const runner = useConsoleRun(alias, editor, dialect)
  const [empty, setEmpty] = useState(draft.initial.trim() === '')
  const [opened, setOpened] = useState<SavedQuery | null>(null)
  const [saveRequest, setSaveRequest] = useState<SaveRequest | null>(null)
  const [sideOpen, setSideOpen] = useLocalStorage({ key: 'backplane.console.side', defaultValue: true })
  const [sideView, setSideView] = useState<'history' | 'saved'>('history')
  const { running, cancel } = runner

  const runCurrent = () => {
    const target = editor.current?.target()
    if (target) void runner.run({ sql: target.text, offset: target.from })
  }
  const runAll = () => {
    const text = editor.current?.text() ?? ''
    if (text.trim() !== '') void runner.run({ sql: text, offset: 0 })
  }
  const explain = () => {
    const target = editor.current?.target()
    if (target) void runner.explain(target)
  }
  const saveAs = () => {
    const sql = editor.current?.text() ?? ''
    if (sql.trim() !== '') setSaveRequest({ name: '', sql })
  }
  const save = () => {
    const sql = editor.current?.text() ?? ''
    if (sql.trim() === '') return
    if (!opened) return saveAs()
    client
      .call('dataConsole.save', { alias, id: opened.id, name: opened.name, sql })
      .then((saved) => {
        setOpened(saved)
        void queryClient.invalidateQueries({ queryKey: ['dataConsole.saved'] })
        notifications.show({ color: 'teal', title: 'Saved', message: `“${saved.name}”` })
      })
      .catch((error: unknown) => {
        // Deleted elsewhere: save it as a new one instead.
        if (ApiError.from(error).code === ErrorCode.E_NOT_FOUND) return saveAs()
        notifications.show({ color: 'red', title: 'Not saved', message: ApiError.from(error).message })
      })
  }
  const load = (sql: string, saved: SavedQuery | null = null) => {
    editor.current?.replace(sql)
    setOpened(saved)
  }

  // Esc stops a running query wherever the focus is (the editor handles its own Esc first).
  useEffect(() => {
    if (!running?.queryId) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) cancel()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [running?.queryId, cancel])

  return (
    <Stack gap="xs" h="100%" mih={0}>
      <ConsoleToolbar
        running={running !== null}
        canCancel={Boolean(running?.queryId) && !running?.cancelling}
        empty={empty}
        savedName={opened?.name ?? null}
        sideOpen={sideOpen}
        onRunCurrent={runCurrent}
        onRunAll={runAll}
        onExplain={explain}
        onCancel={cancel}
        onSave={save}
        onSaveAs={saveAs}
        onToggleSide={() => setSideOpen((open) => !open)}
      />
      <Group align="stretch" gap="sm" wrap="nowrap" flex={1} mih={0}>
        <Stack gap={4} flex={1} miw={0} mih={0}>
          <ConsoleEditor
            ref={editor}
            initialText={draft.initial}
            dialect={dialect}
            completion={completion}
            placeholderText={`Type SQL; ${MOD_KEY_LABEL}+Enter runs the statement under the cursor.`}
            onTextChange={(text) => {
              draft.save(text)
              setEmpty(text.trim() === '')
            }}
            onRunCurrent={() => !running && runCurrent()}
            onRunAll={() => !running && runAll()}
            onSave={save}
            onCancel={() => running !== null && cancel()}
          />
          <RunStatus running={running} summary={runner.summary} />
          <Box flex={1} mih={0} style={{ overflow: runner.tabs.length > 0 ? 'hidden' : 'auto' }}>
            {runner.tabs.length > 0 ? (
              <ResultTabs alias={alias} tabs={runner.tabs} active={runner.active} onActivate={runner.setActive} busy={running !== null} onLoadMore={(key) => void runner.loadMore(key)} />
            ) : (
              !running && !runner.summary && <ConsoleEmptyState example={dialect.example} onExample={() => load(empty ? dialect.example : `${editor.current?.text().trimEnd() ?? ''}\n\n${dialect.example}`, opened)} />
            )}
          </Box>
        </Stack>
        {sideOpen && (
          <Stack gap={6} className={classes.side} mih={0}>
            <SegmentedControl
              size="xs"
              fullWidth
              value={sideView}
              onChange={(value) => setSideView(value as 'history' | 'saved')}
              data={[
                { value: 'history', label: 'History' },
                { value: 'saved', label: 'Saved' },
              ]}
              aria-label="History or saved queries"
            />
            {sideView === 'history' ? (
              <HistoryPanel alias={alias} onLoad={(sql) => load(sql)} />
            ) : (
              <SavedQueriesPanel
                alias={alias}
                openedId={opened?.id ?? null}
                onOpen={(saved) => load(saved.sql, saved)}
                onRename={setSaveRequest}
                onDeleted={(id) => setOpened((now) => (now?.id === id ? null : now))}
              />
            )}
          </Stack>
        )}
      </Group>
      <ConfirmDestructiveDialog confirmation={runner.confirmation} onCancel={runner.dismissConfirmation} onConfirm={(c) => void runner.run({ sql: c.sql, offset: c.offset }, true)} />
      <SaveQueryDialog
        alias={alias}
        request={saveRequest}
        onClose={() => setSaveRequest(null)}
        onSaved={(saved) => {
          // A rename of another saved query leaves the editor's own alone.
          if (!saveRequest?.id || saveRequest.id === opened?.id) setOpened(saved)
          notifications.show({ color: 'teal', title: saveRequest?.id ? 'Renamed' : 'Saved', message: `“${saved.name}”` })
        }}
      />
    </Stack>
  )
}
