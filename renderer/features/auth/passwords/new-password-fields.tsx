import { Checkbox, PasswordInput, Stack } from '@mantine/core'
import { PasswordChecklist } from './password-checklist'
import type { PasswordUser } from './use-password-check'

interface NewPasswordFieldsProps {
  password: string
  onPassword: (password: string) => void
  skipValidation: boolean
  onSkipValidation: (skip: boolean) => void
  /** Whose password it is, for the similarity validator. */
  user: PasswordUser
  description?: string
  error?: string | undefined
  autoFocus?: boolean
}

/** A new password with Django's validators' live verdict, and the way round them that createsuperuser offers. */
export function NewPasswordFields({ password, onPassword, skipValidation, onSkipValidation, user, description, error, autoFocus }: NewPasswordFieldsProps) {
  return (
    <Stack gap={6}>
      <PasswordInput label="Password" description={description} autoComplete="new-password" data-autofocus={autoFocus || undefined} value={password} onChange={(event) => onPassword(event.currentTarget.value)} error={error} />
      <PasswordChecklist password={password} user={user} />
      {password !== '' && (
        <Checkbox size="xs" label="Skip the validators (as createsuperuser allows after asking)" checked={skipValidation} onChange={(event) => onSkipValidation(event.currentTarget.checked)} />
      )}
    </Stack>
  )
}
