import { Badge, Button, Group, TextInput, VisuallyHidden } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'
import { urlHasPassword } from './option-paths'

/**
 * A URL option whose password is in the secret store: the box shows the URL without it. Editing the
 * URL keeps the stored password; "Forget password" sends the plain URL, which drops it; a URL typed
 * with a password replaces it.
 */
export function UrlField({ field, state, path, errors, onChange, disabled, label }: FieldProps) {
  if (state.kind !== 'url') return null
  const typedPassword = urlHasPassword(state.text)
  const status = typedPassword ? ['new password', 'indigo'] : state.forget ? ['password will be forgotten', 'orange'] : ['password stored', 'teal']
  const name = label ?? field.label
  return (
    <TextInput
      label={
        <Group gap={6} component="span" style={{ display: 'inline-flex' }}>
          <FieldLabel field={field} label={label} />
          <Badge size="xs" color={status[1]} tt="none" aria-hidden>
            {status[0]}
          </Badge>
        </Group>
      }
      description={
        <>
          {fieldDescription(field) ?? 'The password of this URL is kept in the secret store, never shown again.'}
          <VisuallyHidden> Password: {status[0]}.</VisuallyHidden>
        </>
      }
      inputWrapperOrder={['label', 'description', 'input', 'error']}
      withAsterisk={field.required && !field.hasDefault}
      value={state.text}
      error={errors[path]}
      disabled={disabled}
      onChange={(event) => onChange({ ...state, text: event.currentTarget.value }, path)}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      rightSectionWidth={130}
      rightSection={
        !typedPassword && (
          <Button
            size="compact-xs"
            variant="subtle"
            color={state.forget ? undefined : 'red'}
            onClick={() => onChange({ ...state, forget: !state.forget }, path)}
            aria-label={state.forget ? `Keep password of ${name}` : `Forget password of ${name}`}
          >
            {state.forget ? 'Keep password' : 'Forget password'}
          </Button>
        )
      }
    />
  )
}
