import { TextInput } from '@mantine/core'
import type { FieldProps } from './field-props'
import { defaultPlaceholder, fieldDescription, FieldLabel } from './field-label'

export function TextField({ field, value, error, onChange, disabled }: FieldProps) {
  return (
    <TextInput
      label={<FieldLabel field={field} />}
      description={fieldDescription(field)}
      withAsterisk={field.required && !field.hasDefault}
      value={typeof value === 'string' ? value : ''}
      placeholder={value === null ? 'empty' : defaultPlaceholder(field)}
      error={error}
      disabled={disabled}
      // An emptied box means "not set", so the engine's default applies rather than "".
      onChange={(event) => onChange(event.currentTarget.value === '' ? undefined : event.currentTarget.value)}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  )
}
