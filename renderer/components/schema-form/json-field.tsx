import { Textarea } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'

/** Records, unions and whatever nests deeper than the form goes have no better control than their JSON, validated as typed. */
export function JsonField({ field, state, path, errors, onChange, disabled, label }: FieldProps) {
  return (
    <Textarea
      label={<FieldLabel field={field} label={label} />}
      description={fieldDescription(field) ?? 'JSON.'}
      withAsterisk={field.required && !field.hasDefault}
      value={state.kind === 'json' ? state.text : ''}
      placeholder={state.kind === 'null' ? 'empty' : field.schema.type === 'array' ? '[ … ]' : '{ … }'}
      error={errors[path]}
      disabled={disabled}
      autosize
      minRows={3}
      maxRows={14}
      spellCheck={false}
      onChange={(event) => onChange({ kind: 'json', text: event.currentTarget.value, present: state.present }, path)}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  )
}
