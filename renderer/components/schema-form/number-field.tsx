import { NumberInput } from '@mantine/core'
import type { FieldProps } from './field-props'
import { defaultPlaceholder, fieldDescription, FieldLabel } from './field-label'

export function NumberField({ field, value, error, onChange, disabled }: FieldProps) {
  const { schema } = field
  // zod writes ±MAX_SAFE_INTEGER as the bounds of a plain int(): not a limit anyone needs to see.
  const min = schema.minimum !== undefined && schema.minimum > -Number.MAX_SAFE_INTEGER ? schema.minimum : undefined
  const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined
  return (
    <NumberInput
      label={<FieldLabel field={field} />}
      description={fieldDescription(field)}
      withAsterisk={field.required && !field.hasDefault}
      value={typeof value === 'number' || typeof value === 'string' ? value : ''}
      placeholder={value === null ? 'empty' : defaultPlaceholder(field)}
      error={error}
      disabled={disabled}
      min={min}
      max={max}
      // Out-of-range values stay as typed so the inline error can say what is wrong.
      clampBehavior="none"
      allowDecimal={!field.integer}
      onChange={(next) => onChange(next === '' ? undefined : next)}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  )
}
