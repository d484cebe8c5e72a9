import { Badge, Button, Group, VisuallyHidden } from '@mantine/core'
import type { FieldSpec } from './json-schema'
import { fieldDescription, FieldLabel } from './field-label'
import { secretStatus, withDraft } from './secret-status'
import type { FieldState } from './field-state'

type SecretState = Extract<FieldState, { kind: 'secret' }>

/** The label of a write-only field, with its status as a badge ("set", "new value", "will be cleared"). */
export function SecretHeading({ field, label, state }: { field: FieldSpec; label?: string | undefined; state: SecretState }) {
  const status = secretStatus(state)
  return (
    <Group gap={6} component="span" style={{ display: 'inline-flex' }}>
      <FieldLabel field={field} label={label} />
      <Badge size="xs" color={status.color} aria-hidden>
        {status.text}
      </Badge>
    </Group>
  )
}

/** The help text; the badge in the label is for the eye, so this says the same to a screen reader. */
export function SecretDescription({ field, state }: { field: FieldSpec; state: SecretState }) {
  return (
    <>
      {fieldDescription(field) ?? 'Kept in the secret store, never shown again.'}
      <VisuallyHidden> Stored value: {secretStatus(state).text}.</VisuallyHidden>
    </>
  )
}

/** "Keep stored" (or "Undo") while a new value is drafted, and "Clear" while one is stored. */
export function SecretDraftButtons({ state, path, name, onChange }: { state: SecretState; path: string; name: string; onChange: (next: FieldState, changed: string) => void }) {
  const isSet = state.stored !== undefined
  return (
    <>
      {state.draft !== undefined && (
        <Button size="compact-xs" variant="subtle" onClick={() => onChange(withDraft(state, undefined), path)}>
          {isSet ? 'Keep stored' : 'Undo'}
        </Button>
      )}
      {isSet && state.draft !== null && (
        <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(withDraft(state, null), path)} aria-label={`Clear ${name}`}>
          Clear
        </Button>
      )}
    </>
  )
}
