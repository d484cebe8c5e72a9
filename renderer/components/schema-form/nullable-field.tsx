import { Checkbox, Stack } from '@mantine/core'
import type { ReactNode } from 'react'
import type { FieldSpec } from './json-schema'

interface NullableFieldProps {
  field: FieldSpec
  value: unknown
  onChange: (value: unknown) => void
  children: (disabled: boolean) => ReactNode
}

/**
 * A nullable option has a value of its own, "empty" (null: e.g. a cache timeout of null keeps
 * entries forever), which no input can type: a box beside the field sets it.
 */
export function NullableField({ field, value, onChange, children }: NullableFieldProps) {
  const empty = value === null
  return (
    <Stack gap={4}>
      {children(empty)}
      <Checkbox
        size="xs"
        label="Empty (null)"
        aria-label={`${field.label}: empty (null)`}
        checked={empty}
        onChange={(event) => onChange(event.currentTarget.checked ? null : field.default === null ? undefined : field.default)}
      />
    </Stack>
  )
}
