import type { ComponentType } from 'react'
import { BooleanField } from './boolean-field'
import { EnumField } from './enum-field'
import type { FieldProps } from './field-props'
import type { FieldControl } from './json-schema'
import { JsonField } from './json-field'
import { NullableField } from './nullable-field'
import { NumberField } from './number-field'
import { TagsField } from './tags-field'
import { TextField } from './text-field'

const CONTROLS: Record<Exclude<FieldControl, 'secret'>, ComponentType<FieldProps>> = {
  text: TextField,
  number: NumberField,
  boolean: BooleanField,
  enum: EnumField,
  tags: TagsField,
  json: JsonField,
}

/** One option's control, chosen by its JSON Schema type. */
export function SchemaField(props: FieldProps) {
  const { field } = props
  const Control = CONTROLS[field.control === 'secret' ? 'text' : field.control]
  if (!field.nullable) return <Control {...props} />
  return (
    <NullableField field={field} value={props.value} onChange={props.onChange}>
      {(disabled) => <Control {...props} disabled={disabled} />}
    </NullableField>
  )
}
