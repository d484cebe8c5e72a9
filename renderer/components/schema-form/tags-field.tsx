import { TagsInput } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'

export function TagsField({ field, state, path, errors, onChange, disabled, label }: FieldProps) {
  const items = state.kind === 'value' && Array.isArray(state.value) ? state.value.filter((item): item is string => typeof item === 'string') : []
  return (
    <TagsInput
      label={<FieldLabel field={field} label={label} />}
      description={fieldDescription(field)}
      withAsterisk={field.required && !field.hasDefault}
      value={items}
      placeholder={state.kind === 'null' ? 'empty' : 'Type a value, then Enter'}
      error={errors[path]}
      disabled={disabled}
      onChange={(next) => onChange({ kind: 'value', value: next, present: state.present }, path)}
      splitChars={[',', ' ']}
      clearable
    />
  )
}
