import { TextInput } from '@mantine/core'
import type { KeyboardEvent } from 'react'
import type { FieldProps } from './field-props'
import { defaultPlaceholder, fieldDescription, FieldLabel } from './field-label'
import { parseNumberText } from './number-text'

/**
 * A text box that keeps exactly what was typed: a number input would drop the "." of 1.5 in a
 * whole-number field or refuse "abc" without a word, changing the value behind the user's back.
 * The inline error says what is wrong, and Save waits until it is fixed.
 */
export function NumberField({ field, state, path, errors, onChange, disabled, label }: FieldProps) {
  const text = state.kind === 'number' ? state.text : ''
  // Up and Down step by one, as a number input does, when what is there is a number.
  const step = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return
    const parsed = parseNumberText(text === '' ? String(field.default ?? 0) : text, false)
    if (!('value' in parsed)) return
    event.preventDefault()
    onChange({ kind: 'number', text: String(parsed.value + (event.key === 'ArrowUp' ? 1 : -1)), present: state.present }, path)
  }
  return (
    <TextInput
      label={<FieldLabel field={field} label={label} />}
      description={fieldDescription(field)}
      withAsterisk={field.required && !field.hasDefault}
      value={text}
      placeholder={state.kind === 'null' ? 'empty' : defaultPlaceholder(field)}
      inputMode={field.integer ? 'numeric' : 'decimal'}
      autoComplete="off"
      error={errors[path]}
      disabled={disabled}
      onChange={(event) => onChange({ kind: 'number', text: event.currentTarget.value, present: state.present }, path)}
      onKeyDown={step}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  )
}
