import { Alert, Button, Stack, Textarea } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import { defaultState } from './field-state'
import type { FieldProps } from './field-props'
import { FieldLabel } from './field-label'

/**
 * A stored value of another type than the engine's schema says (hand-edited, or from an older
 * engine): shown as its JSON and sent back exactly as it is unless edited, never coerced into the
 * field's type. "Start over" gives the field's own control, empty.
 */
export function MismatchField({ field, state, path, errors, onChange, label }: FieldProps) {
  if (state.kind !== 'mismatch') return null
  // A secret is typed only into its write-only box; its stored oddity may be kept or replaced, not edited.
  const editable = field.control !== 'secret'
  return (
    <Stack gap={4}>
      <Textarea
        label={<FieldLabel field={field} label={label} />}
        description="JSON, as stored."
        inputWrapperOrder={['label', 'description', 'input', 'error']}
        value={state.text}
        readOnly={!editable}
        error={errors[path]}
        autosize
        minRows={1}
        maxRows={10}
        spellCheck={false}
        onChange={(event) => onChange({ ...state, text: event.currentTarget.value }, path)}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <Alert color="yellow" variant="light" p="xs" icon={<IconAlertTriangle size={16} />}>
        {state.warning}{' '}
        <Button size="compact-xs" variant="subtle" onClick={() => onChange(defaultState(field, true), path)}>
          Start over with {field.control === 'secret' ? 'a new secret' : 'an empty field'}
        </Button>
      </Alert>
    </Stack>
  )
}
