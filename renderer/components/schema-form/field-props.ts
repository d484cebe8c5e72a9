import type { FieldSpec } from './json-schema'

export interface FieldProps {
  field: FieldSpec
  value: unknown
  error?: string | undefined
  onChange: (value: unknown) => void
  /** Set while the nullable "empty" box is ticked. */
  disabled?: boolean
}
