import { Textarea } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'

/** Objects, arrays of objects and unions have no better control than their JSON, validated as typed. */
export function JsonField({ field, value, error, onChange, disabled }: FieldProps) {
  return (
    <Textarea
      label={<FieldLabel field={field} />}
      description={fieldDescription(field) ?? 'JSON.'}
      withAsterisk={field.required && !field.hasDefault}
      value={typeof value === 'string' ? value : ''}
      placeholder={value === null ? 'empty' : field.schema.type === 'array' ? '[ … ]' : '{ … }'}
      error={error}
      disabled={disabled}
      autosize
      minRows={3}
      maxRows={14}
      spellCheck={false}
      onChange={(event) => onChange(event.currentTarget.value)}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  )
}
