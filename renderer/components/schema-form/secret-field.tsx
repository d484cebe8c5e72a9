import { Group, PasswordInput } from '@mantine/core'
import type { FieldProps } from './field-props'
import { SecretDescription, SecretDraftButtons, SecretHeading } from './secret-controls'
import { withDraft } from './secret-status'

/**
 * Write-only: the stored value never comes back, so the box starts empty and says only "set" or
 * "not set". Typing replaces the secret on save; "Clear" removes it; leaving it alone keeps it.
 */
export function SecretField({ field, state, path, errors, onChange, label }: FieldProps) {
  if (state.kind !== 'secret') return null
  const isSet = state.stored !== undefined
  const { draft } = state
  const name = label ?? field.label
  return (
    <PasswordInput
      label={<SecretHeading field={field} label={label} state={state} />}
      description={<SecretDescription field={field} state={state} />}
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
          <SecretDraftButtons state={state} path={path} name={name} onChange={onChange} />
        </Group>
      }
    />
  )
}
