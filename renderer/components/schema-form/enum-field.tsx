import { Select } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'

/** Enum values may be numbers or booleans: the Select works on their JSON text. */
export function EnumField({ field, state, path, errors, onChange, disabled, label }: FieldProps) {
  const options = field.options ?? []
  const value = state.kind === 'value' ? state.value : undefined
  return (
    <Select
      label={<FieldLabel field={field} label={label} />}
      description={fieldDescription(field)}
      withAsterisk={field.required && !field.hasDefault}
      data={options.map((option) => ({ value: JSON.stringify(option), label: String(option) }))}
      value={value === undefined ? null : JSON.stringify(value)}
      placeholder={state.kind === 'null' ? 'empty' : 'Pick a value'}
      error={errors[path]}
      disabled={disabled}
      onChange={(next) => onChange({ kind: 'value', value: next === null ? undefined : (JSON.parse(next) as unknown), present: state.present }, path)}
    />
  )
}
