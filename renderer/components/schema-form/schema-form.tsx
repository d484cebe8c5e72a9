import { Stack, Text } from '@mantine/core'
import type { FieldValues, SecretDraft } from './field-values'
import type { FieldSpec } from './json-schema'
import { SchemaField } from './schema-field'
import { SecretField } from './secret-field'

interface SchemaFormProps {
  fields: readonly FieldSpec[]
  values: FieldValues
  errors: Record<string, string>
  onChange: (name: string, value: unknown) => void
  secretsSet: Record<string, boolean>
  secretDraft: SecretDraft
  onSecretChange: (name: string, draft: string | null | undefined) => void
}

/** The options form of any engine, generated from the JSON Schema of its options. */
export function SchemaForm({ fields, values, errors, onChange, secretsSet, secretDraft, onSecretChange }: SchemaFormProps) {
  if (fields.length === 0) return <Text c="dimmed">This engine has no options.</Text>
  return (
    <Stack gap="sm">
      {fields.map((field) =>
        field.control === 'secret' ? (
          <SecretField
            key={field.name}
            field={field}
            isSet={secretsSet[field.name] ?? false}
            draft={secretDraft[field.name]}
            error={errors[field.name]}
            onChange={(draft) => onSecretChange(field.name, draft)}
          />
        ) : (
          <SchemaField key={field.name} field={field} value={values[field.name]} error={errors[field.name]} onChange={(value) => onChange(field.name, value)} />
        ),
      )}
    </Stack>
  )
}
