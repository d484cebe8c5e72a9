import { Checkbox, Stack } from '@mantine/core'
import type { ReactNode } from 'react'
import { defaultState, type FieldState } from './field-state'
import type { FieldSpec } from './json-schema'

interface NullableFieldProps {
  field: FieldSpec
  state: FieldState
  path: string
  onChange: (next: FieldState, changed: string) => void
  label?: string | undefined
  children: (disabled: boolean) => ReactNode
}

/**
 * A nullable option has a value of its own, "empty" (null: e.g. a cache timeout of null keeps
 * entries forever), which no input can type: a box beside the field sets it.
 */
export function NullableField({ field, state, path, onChange, label, children }: NullableFieldProps) {
  const empty = state.kind === 'null'
  return (
    <Stack gap={4}>
      {children(empty)}
      <Checkbox
        size="xs"
        label="Empty (null)"
        aria-label={`${label ?? field.label}: empty (null)`}
        checked={empty}
        onChange={(event) => onChange(event.currentTarget.checked ? { kind: 'null', present: state.present } : field.default === null ? { ...defaultState({ ...field, hasDefault: false }), present: state.present } : defaultState(field, state.present), path)}
      />
    </Stack>
  )
}
