import { Select } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'

/** Enum values may be numbers or booleans: the Select works on their JSON text. */
export function EnumField({ field, value, error, onChange, disabled }: FieldProps) {
  const options = field.options ?? []
  return (
    <Select
      label={<FieldLabel field={field} />}
      description={fieldDescription(field)}
      withAsterisk={field.required && !field.hasDefault}
      data={options.map((option) => ({ value: JSON.stringify(option), label: String(option) }))}
      value={value === undefined || value === null ? null : JSON.stringify(value)}
      placeholder={value === null ? 'empty' : 'Pick a value'}
      error={error}
      disabled={disabled}
      onChange={(next) => onChange(next === null ? undefined : (JSON.parse(next) as unknown))}
    />
  )
}
