import { TextInput } from '@mantine/core'
import type { FieldProps } from './field-props'
import { defaultPlaceholder, fieldDescription, FieldLabel } from './field-label'
import { urlHasPassword } from './option-paths'

export function TextField({ field, state, path, errors, onChange, disabled, label }: FieldProps) {
  const value = state.kind === 'value' && typeof state.value === 'string' ? state.value : ''
  const description = fieldDescription(field)
  return (
    <TextInput
      label={<FieldLabel field={field} label={label} />}
      description={urlHasPassword(value) ? `${description ? `${description} ` : ''}The password in this URL is moved to the secret store on save.` : description}
      withAsterisk={field.required && !field.hasDefault}
      value={value}
      placeholder={state.kind === 'null' ? 'empty' : defaultPlaceholder(field)}
      error={errors[path]}
      disabled={disabled}
      // An emptied box means "not set", so the engine's default applies rather than "".
      onChange={(event) => onChange({ kind: 'value', value: event.currentTarget.value === '' ? undefined : event.currentTarget.value, present: state.present }, path)}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  )
}
