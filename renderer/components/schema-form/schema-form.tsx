import { Stack, Text } from '@mantine/core'
import type { FieldState, ObjectState } from './field-state'
import type { FieldSpec } from './json-schema'
import { joinPath } from './option-paths'
import { SchemaField } from './schema-field'

interface SchemaFormProps {
  fields: readonly FieldSpec[]
  state: ObjectState
  /** Errors by the path of their field (`servers/1/port`). */
  errors: Readonly<Record<string, string>>
  /** The new state of the field at `path`; put in place with setAt, from the latest state. */
  onChange: (next: FieldState, path: string) => void
}

/** The options form of any engine, generated from the JSON Schema of its options. */
export function SchemaForm({ fields, state, errors, onChange }: SchemaFormProps) {
  if (fields.length === 0) return <Text c="dimmed">This engine has no options.</Text>
  return (
    <Stack gap="sm">
      {fields.map((field) => {
        const fieldState = state.fields[field.name]
        if (!fieldState) return null
        return <SchemaField key={field.name} field={field} state={fieldState} path={joinPath([field.name])} errors={errors} onChange={onChange} />
      })}
    </Stack>
  )
}
