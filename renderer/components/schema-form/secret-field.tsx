import { Badge, Button, Group, PasswordInput, VisuallyHidden } from '@mantine/core'
import { fieldDescription, FieldLabel } from './field-label'
import type { FieldSpec } from './json-schema'

interface SecretFieldProps {
  field: FieldSpec
  /** Whether the secret store holds a value: all the renderer may ever know about it. */
  isSet: boolean
  /** undefined: keep the stored value; string: replace it; null: clear it. */
  draft: string | null | undefined
  error?: string | undefined
  onChange: (draft: string | null | undefined) => void
}

/**
 * Write-only: the stored value never comes back, so the box starts empty and says only "set" or
 * "not set". Typing replaces the secret on save; "Clear" removes it; leaving it alone keeps it.
 */
export function SecretField({ field, isSet, draft, error, onChange }: SecretFieldProps) {
  const status = draft === null ? ['will be cleared', 'orange'] : draft ? ['new value', 'indigo'] : isSet ? ['set', 'teal'] : ['not set', 'gray']
  return (
    <PasswordInput
      label={
        <Group gap={6} component="span" style={{ display: 'inline-flex' }}>
          <FieldLabel field={field} />
          <Badge size="xs" color={status[1]} aria-hidden>
            {status[0]}
          </Badge>
        </Group>
      }
      description={
        <>
          {fieldDescription(field) ?? 'Kept in the secret store, never shown again.'}
          {/* The badge in the label is for the eye; this says the same to a screen reader, as a description. */}
          <VisuallyHidden> Stored value: {status[0]}.</VisuallyHidden>
        </>
      }
      withAsterisk={field.required}
      value={draft ?? ''}
      placeholder={draft === null ? 'will be cleared on save' : isSet ? '•••••• stored; type to replace' : 'not set'}
      autoComplete="new-password"
      error={error}
      onChange={(event) => onChange(event.currentTarget.value === '' ? undefined : event.currentTarget.value)}
      inputWrapperOrder={['label', 'description', 'input', 'error']}
      rightSectionWidth={isSet || draft !== undefined ? 150 : undefined}
      rightSection={
        <Group gap={2} wrap="nowrap" pr={4}>
          {draft !== undefined && (
            <Button size="compact-xs" variant="subtle" onClick={() => onChange(undefined)}>
              {isSet ? 'Keep stored' : 'Undo'}
            </Button>
          )}
          {isSet && draft !== null && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(null)} aria-label={`Clear ${field.label}`}>
              Clear
            </Button>
          )}
        </Group>
      }
    />
  )
}
