import type { ComponentType } from 'react'
import { BooleanField } from './boolean-field'
import { EnumField } from './enum-field'
import type { FieldProps, GroupProps } from './field-props'
import type { FieldState } from './field-state'
import type { FieldSpec } from './json-schema'
import { JsonField } from './json-field'
import { ListField } from './list-field'
import { MismatchField } from './mismatch-field'
import { NullableField } from './nullable-field'
import { NumberField } from './number-field'
import { ObjectField } from './object-field'
import { SecretField } from './secret-field'
import { SecretTextField } from './secret-text-field'
import { TagsField } from './tags-field'
import { TextField } from './text-field'
import { UrlField } from './url-field'

const LEAVES: Record<'text' | 'number' | 'boolean' | 'enum' | 'tags' | 'json', ComponentType<FieldProps>> = {
  text: TextField,
  number: NumberField,
  boolean: BooleanField,
  enum: EnumField,
  tags: TagsField,
  json: JsonField,
}

const GROUPS: Record<'object' | 'list', ComponentType<GroupProps>> = { object: ObjectField, list: ListField }

/** The control for a field in its state: what the stored value is decides as much as the schema. */
function controlOf(field: FieldSpec, state: FieldState): ComponentType<FieldProps> | ComponentType<GroupProps> {
  if (state.kind === 'url') return UrlField
  // A list of URLs, one with a stored password, is shown a box per URL (see initialState).
  if (state.kind === 'list') return ListField
  if (field.control === 'secret') return field.multiline ? SecretTextField : SecretField
  if (field.control === 'object' || field.control === 'list') return GROUPS[field.control]
  return LEAVES[field.control]
}

/** One option's control, chosen by its JSON Schema type, nested groups included. */
export function SchemaField(props: FieldProps) {
  const { field, state } = props
  if (state.kind === 'mismatch') return <MismatchField {...props} />
  const Control = controlOf(field, state) as ComponentType<GroupProps>
  // A secret is cleared with its own button; "empty" is for values.
  if (!field.nullable || field.control === 'secret') return <Control {...props} Field={SchemaField} />
  return (
    <NullableField field={field} state={state} path={props.path} label={props.label} onChange={props.onChange}>
      {(disabled) => <Control {...props} disabled={disabled} Field={SchemaField} />}
    </NullableField>
  )
}
