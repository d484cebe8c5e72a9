import type { ComponentType, ReactNode } from 'react'
import type { FieldState } from './field-state'
import type { FieldSpec } from './json-schema'

export interface FieldProps {
  field: FieldSpec
  state: FieldState
  /** Where the field sits in the options (`servers/1/port`): the key of its error. */
  path: string
  /** The whole form's errors by path; a group finds its fields' errors here. */
  errors: Readonly<Record<string, string>>
  /** The new state of the field at `changed` (this field's path, or one of its fields'): the form puts it in place. */
  onChange: (next: FieldState, changed: string) => void
  /** Set while the nullable "empty" box is ticked. */
  disabled?: boolean
  /** A list item's name ("Server 2") in place of the field's own. */
  label?: string
  /** A list item's buttons (move, remove), shown in the item's header. */
  actions?: ReactNode
}

/** Groups render their fields with the dispatcher they are given, so the modules do not import each other in a circle. */
export interface GroupProps extends FieldProps {
  Field: ComponentType<FieldProps>
}
