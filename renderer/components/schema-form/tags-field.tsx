import { TagsInput } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'

export function TagsField({ field, value, error, onChange, disabled }: FieldProps) {
  const items = Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
  return (
    <TagsInput
      label={<FieldLabel field={field} />}
      description={fieldDescription(field)}
      withAsterisk={field.required && !field.hasDefault}
      value={items}
      placeholder={value === null ? 'empty' : 'Type a value, then Enter'}
      error={error}
      disabled={disabled}
      onChange={onChange}
      splitChars={[',', ' ']}
      clearable
    />
  )
}
