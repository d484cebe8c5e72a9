import { Badge, Button, Group, PasswordInput, VisuallyHidden } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'
import { secretStatus, withDraft } from './secret-status'

/**
 * Write-only: the stored value never comes back, so the box starts empty and says only "set" or
 * "not set". Typing replaces the secret on save; "Clear" removes it; leaving it alone keeps it.
 */
export function SecretField({ field, state, path, errors, onChange, label }: FieldProps) {
  if (state.kind !== 'secret') return null
  const status = secretStatus(state)
  const isSet = state.stored !== undefined
  const { draft } = state
  const name = label ?? field.label
  return (
    <PasswordInput
      label={
        <Group gap={6} component="span" style={{ display: 'inline-flex' }}>
          <FieldLabel field={field} label={label} />
          <Badge size="xs" color={status.color} aria-hidden>
            {status.text}
          </Badge>
        </Group>
      }
      description={
        <>
          {fieldDescription(field) ?? 'Kept in the secret store, never shown again.'}
          {/* The badge in the label is for the eye; this says the same to a screen reader, as a description. */}
          <VisuallyHidden> Stored value: {status.text}.</VisuallyHidden>
        </>
      }
      withAsterisk={field.required}
      value={draft ?? ''}
      placeholder={draft === null ? 'will be cleared on save' : isSet ? '•••••• stored; type to replace' : 'not set'}
      autoComplete="new-password"
      error={errors[path]}
      onChange={(event) => onChange(withDraft(state, event.currentTarget.value), path)}
      inputWrapperOrder={['label', 'description', 'input', 'error']}
      rightSectionWidth={isSet || draft !== undefined ? 150 : undefined}
      rightSection={
        <Group gap={2} wrap="nowrap" pr={4}>
          {draft !== undefined && (
            <Button size="compact-xs" variant="subtle" onClick={() => onChange(withDraft(state, undefined), path)}>
              {isSet ? 'Keep stored' : 'Undo'}
            </Button>
          )}
          {isSet && draft !== null && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(withDraft(state, null), path)} aria-label={`Clear ${name}`}>
              Clear
            </Button>
          )}
        </Group>
      }
    />
  )
}
