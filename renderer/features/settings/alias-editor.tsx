import { Alert, Button, Divider, Group, Stack, Textarea, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPlayerPlay } from '@tabler/icons-react'
import { useRef, type FormEvent } from 'react'
import { ErrorCode, KIND_TITLES, SECTION_OF, type AliasView, type EngineView, type Kind, type SettingsIssue } from '../../../main/api/contract'
import { useQueryClient } from '@tanstack/react-query'
import { ApiError } from '../../api/api-error'
import { useApiMutation } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'
import { SchemaForm } from '../../components/schema-form/schema-form'
import { SettingsIssuesList } from '../../components/settings-issues-list'
import { AliasTestResult } from './alias-test-result'
import { EngineSelect } from './engine-select'
import { EngineTrustAlert } from './engine-trust-alert'
import { useAliasEditor } from './use-alias-editor'

interface AliasEditorProps {
  kind: Kind
  alias: AliasView | null
  engines: readonly EngineView[]
  takenNames: readonly string[]
  issues: readonly SettingsIssue[]
  onDone: () => void
}

/** Name, engine and the engine's generated options form; Test runs the draft, Save writes it. */
export function AliasEditor({ kind, alias, engines, takenNames, issues, onDone }: AliasEditorProps) {
  const editor = useAliasEditor({ kind, alias, engines, takenNames, issues })
  const queryClient = useQueryClient()
  const test = useApiMutation('settings.testAlias', {
    // A test reports failures as a "down" report; a module not trusted yet is something the editor can help with.
    onSuccess: (report) => {
      if (report.error?.code === ErrorCode.E_ENGINE_UNTRUSTED) editor.showServerError(report.error)
    },
    onError: (error) => editor.showServerError(error),
  })
  const save = useApiMutation('settings.saveAlias', {
    onSuccess: (saved) => {
      notifications.show({ color: 'teal', title: 'Saved', message: `${KIND_TITLES[kind]} alias “${saved.name}” (${saved.engine}).` })
      onDone()
    },
    onError: (error) => editor.showServerError(error),
  })

  // What to run again once the user trusted the engine module (from the desktop app's dialog).
  const lastAction = useRef<'save' | 'test'>('save')

  const runSave = () => {
    lastAction.current = 'save'
    // Nothing is sent while the form shows a problem (a half-typed number, a bad URL): the server would refuse it anyway.
    if (editor.validate()) save.mutate(editor.toDraft())
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    runSave()
  }
  const runTest = () => {
    lastAction.current = 'test'
    if (editor.validate('test')) test.mutate(editor.toDraft('test'))
  }
  const retry = () => {
    editor.clearServerError()
    if (lastAction.current === 'save') runSave()
    else runTest()
  }

  return (
    <form onSubmit={submit} noValidate aria-label={alias ? `Edit ${kind} alias ${alias.name}` : `New ${kind} alias`}>
      <Stack gap="sm">
        <SettingsIssuesList issues={issues} title="Problems with this alias" />
        <TextInput
          label="Name"
          description={`Letters, digits, "_" and "-". Stored as ${SECTION_OF[kind]}.${editor.name || '…'} in settings.json.${alias ? ' Renaming moves its secrets along.' : ''}`}
          withAsterisk
          value={editor.name}
          error={editor.errors.name}
          onChange={(event) => editor.setName(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-autofocus={alias ? undefined : true}
        />
        <EngineSelect engines={engines} value={editor.engine} error={editor.errors.engine} onChange={editor.setEngine} />
        {editor.untrusted ? (
          <EngineTrustAlert kind={kind} spec={editor.engine.trim()} error={editor.untrusted} onTrusted={retry} />
        ) : editor.engineView?.error?.code === ErrorCode.E_ENGINE_UNTRUSTED ? (
          <EngineTrustAlert kind={kind} spec={editor.engine.trim()} error={new ApiError(editor.engineView.error)} onTrusted={() => void queryClient.invalidateQueries({ queryKey: ['settings.engines'] })} />
        ) : (
          editor.engineView?.error && (
            <Alert color="red" title="This engine does not load">
              {editor.engineView.error.message} {editor.engineView.error.hint}
            </Alert>
          )
        )}
        <Divider label="Options" labelPosition="left" />
        <SchemaForm fields={editor.fields} state={editor.form} errors={editor.errors} onChange={editor.setField} />
        {editor.extraAllowed && (
          <Textarea
            label="Other options (JSON)"
            description="This engine accepts options it does not declare; they are passed to it as they are."
            value={editor.extraText}
            error={editor.errors.extra}
            onChange={(event) => editor.setExtraText(event.currentTarget.value)}
            autosize
            minRows={3}
            placeholder="{ }"
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        )}
        {editor.dropped.length > 0 && (
          <Alert color="yellow" title="Options this engine does not know">
            Saving removes {editor.dropped.map((key) => `“${key}”`).join(', ')} from the alias.
          </Alert>
        )}
        {editor.generalError && <ErrorAlert error={editor.generalError} title="Not saved" />}
        {test.data && !test.isPending && <AliasTestResult report={test.data} />}
        {/* Kept in view at the bottom of the drawer, however long the engine's form is. */}
        <Group
          justify="space-between"
          py="xs"
          style={{ position: 'sticky', bottom: 0, zIndex: 2, background: 'var(--mantine-color-body)', borderTop: '1px solid var(--mantine-color-default-border)' }}
        >
          <Button variant="default" leftSection={<IconPlayerPlay size={14} />} loading={test.isPending} onClick={runTest}>
            Test
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  )
}
