import { useDebouncedValue } from '@mantine/hooks'
import { useMemo, useState } from 'react'
import { AliasName, type AliasDraft, type AliasView, type EngineView, type Kind, type SettingsIssue } from '../../../main/api/contract'
import type { ApiError } from '../../api/api-error'
import { useApiQuery } from '../../api/hooks'
import { buildOptions } from '../../components/schema-form/build-options'
import { fieldPaths, rootState, setAt, unknownOptions, withEveryField, type FieldState, type ObjectState } from '../../components/schema-form/field-state'
import { allowsExtraOptions, describeFields, type JsonSchema } from '../../components/schema-form/json-schema'
import { splitPath } from '../../components/schema-form/option-paths'
import { validateForm } from '../../components/schema-form/validate-field'
import { placeServerError, placeStoredIssues } from './server-issues'

interface EditorInput {
  kind: Kind
  /** The alias being edited; null for a new one. */
  alias: AliasView | null
  engines: readonly EngineView[]
  /** Names of the other aliases of the kind: saving over one would replace it. */
  takenNames: readonly string[]
  /** Problems settings.json has with this alias, shown on their fields from the start. */
  issues: readonly SettingsIssue[]
}

function schemaOf(engine: EngineView | undefined): JsonSchema {
  // An engine not loaded yet (a custom module typed in) has no schema: its options are free JSON.
  return (engine?.schema as JsonSchema | undefined) ?? { type: 'object', additionalProperties: true }
}

/**
 * The state of the alias editor: name, engine, the generated form's state (secrets included, as
 * markers and typed drafts), and every error, keyed by field path.
 */
export function useAliasEditor({ kind, alias, engines, takenNames, issues }: EditorInput) {
  const original = alias?.options ?? {}
  const [name, setNameState] = useState(alias?.name ?? '')
  const [engine, setEngineState] = useState(alias?.engine ?? engines.find((e) => !e.custom)?.id ?? '')
  // A module typed in that no alias uses yet is described on its own (after a pause in the typing), so
  // its form is generated too, or its not being trusted is said at once.
  const listed = engines.find((e) => e.id === engine)
  const [typedSpec] = useDebouncedValue(listed ? '' : engine.trim(), 400)
  const lookup = useApiQuery('settings.engines', { kind, spec: typedSpec }, { enabled: typedSpec !== '' })
  const engineView = listed ?? (typedSpec === engine.trim() ? lookup.data?.[0] : undefined)
  const schema = useMemo(() => schemaOf(engineView), [engineView])
  const fields = useMemo(() => describeFields(schema), [schema])
  const [formState, setForm] = useState<ObjectState>(() => rootState(fields, original))
  const form = withEveryField(formState, fields, original)
  const extraAllowed = allowsExtraOptions(schema)
  const [extraText, setExtraTextState] = useState(() => jsonOrEmpty(unknownOptions(fields, original)))
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set())
  const [submitted, setSubmitted] = useState(false)
  const [serverErrors, setServerErrors] = useState<Record<string, string>>(() => placeStoredIssues(issues, fieldPaths(fields, rootState(fields, original))))
  const [generalError, setGeneralError] = useState<ApiError | null>(null)
  const [untrusted, setUntrusted] = useState<ApiError | null>(null)

  const touch = (key: string, structural = false) => {
    setTouched((prev) => new Set(prev).add(key))
    // After an item is added, removed or moved, the places under the list no longer name the same items.
    setServerErrors((prev) => Object.fromEntries(Object.entries(prev).filter(([path]) => path !== key && !(structural && path.startsWith(`${key}/`)))))
    setGeneralError(null)
  }

  const clientErrors: Record<string, string> = validateForm(fields, form, engineView?.secretFields ?? [])
  const nameError = AliasName.safeParse(name).error?.issues[0]?.message ?? (takenNames.includes(name) ? `There is already a ${kind} alias named "${name}".` : undefined)
  if (nameError) clientErrors.name = name === '' ? 'Enter a name.' : nameError
  if (!engine.trim()) clientErrors.engine = 'Choose an engine.'
  const extraError = extraAllowed ? parseExtra(extraText).error : undefined
  if (extraError) clientErrors.extra = extraError

  const visibleErrors: Record<string, string> = { ...serverErrors }
  for (const [key, message] of Object.entries(clientErrors)) if (submitted || touched.has(key)) visibleErrors[key] ??= message

  return {
    name,
    engine,
    engineView,
    fields,
    form,
    extraAllowed,
    extraText,
    errors: visibleErrors,
    generalError,
    /** Set when the engine is a custom module that is not trusted (yet): the editor offers to trust it. */
    untrusted,
    /** Options the alias has that this engine does not know: saving drops them, so say so. */
    dropped: extraAllowed ? [] : Object.keys(unknownOptions(fields, original)),
    setName(next: string) {
      touch('name')
      setNameState(next)
    },
    setEngine(next: string) {
      touch('engine')
      setUntrusted(null)
      setEngineState(next)
      // Options of the same name carry over from the stored alias; the rest start at the new defaults.
      const nextFields = describeFields(schemaOf(engines.find((e) => e.id === next)))
      setForm(rootState(nextFields, original))
      setExtraTextState(jsonOrEmpty(unknownOptions(nextFields, original)))
    },
    /** The new state of the field at `path`, from the form. */
    setField(next: FieldState, path: string) {
      const segments = splitPath(path)
      touch(path, next.kind === 'list')
      setForm((prev) => setAt(withEveryField(prev, fields, original), segments, next))
    },
    setExtraText(text: string) {
      touch('extra')
      setExtraTextState(text)
    },
    /**
     * Marks every field for display and says whether the draft may be sent. A test needs no name of
     * its own (nothing is saved), so for a test a missing or taken name does not count.
     */
    validate(purpose: 'save' | 'test' = 'save'): boolean {
      const blocking = Object.keys(clientErrors).filter((key) => !(purpose === 'test' && key === 'name'))
      if (purpose === 'save' || blocking.length > 0) setSubmitted(true)
      return blocking.length === 0
    },
    toDraft(purpose: 'save' | 'test' = 'save'): AliasDraft {
      const extra = extraAllowed ? (parseExtra(extraText).value ?? {}) : {}
      const { options, secrets } = buildOptions(fields, form, extra)
      return {
        kind,
        name: purpose === 'test' && clientErrors.name ? (alias?.name ?? 'draft') : name,
        engine: engine.trim(),
        options,
        ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
        ...(alias && alias.name !== name ? { previousName: alias.name } : {}),
      }
    },
    showServerError(error: unknown) {
      const placed = placeServerError(error, fieldPaths(fields, form))
      setServerErrors(placed.fields)
      setGeneralError(placed.general)
      setUntrusted(placed.untrusted)
    },
    clearServerError() {
      setServerErrors({})
      setGeneralError(null)
      setUntrusted(null)
    },
  }
}

export type AliasEditorState = ReturnType<typeof useAliasEditor>

function jsonOrEmpty(value: Record<string, unknown>): string {
  return Object.keys(value).length === 0 ? '' : JSON.stringify(value, null, 2)
}

function parseExtra(text: string): { value?: Record<string, unknown>; error?: string } {
  if (text.trim() === '') return { value: {} }
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'Must be a JSON object ({…}).' }
    return { value: value as Record<string, unknown> }
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` }
  }
}
