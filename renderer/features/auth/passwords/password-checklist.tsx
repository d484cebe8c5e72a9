import { Group, List, Loader, Text, ThemeIcon } from '@mantine/core'
import { IconCheck, IconX } from '@tabler/icons-react'
import { ErrorAlert } from '../../../components/error-alert'
import { checklistLines } from './checklist-lines'
import { usePasswordCheck, type PasswordUser } from './use-password-check'

/** Each validator's verdict on the password as it is typed: green when it passes, red with its message when not. */
export function PasswordChecklist({ password, user }: { password: string; user: PasswordUser }) {
  const { result, error, checked } = usePasswordCheck(password, user)
  if (password === '') return null
  if (error) return <ErrorAlert error={error} title="Could not check the password" />
  const lines = checklistLines(result?.problems ?? [])
  return (
    <div aria-label="Password checks" role="group" aria-busy={!checked}>
      <Group gap={6} mb={4}>
        <Text size="xs" fw={600}>
          {checked ? (result?.ok ? 'The validators accept this password' : 'The validators refuse this password') : 'Checking…'}
        </Text>
        {!checked && <Loader size={10} aria-hidden />}
      </Group>
      <List size="xs" spacing={2} center>
        {result &&
          lines.map((line) => (
            <List.Item
              key={line.validator}
              data-ok={line.ok}
              aria-label={`${line.validator}: ${line.ok ? 'passes' : 'fails'}`}
              icon={
                <ThemeIcon size={14} radius="xl" color={line.ok ? 'teal' : 'red'} variant="light">
                  {line.ok ? <IconCheck size={10} /> : <IconX size={10} />}
                </ThemeIcon>
              }
            >
              <Text span size="xs" c={line.ok ? 'teal' : 'red'} style={{ opacity: checked ? 1 : 0.6 }}>
                {line.message}
              </Text>
            </List.Item>
          ))}
      </List>
    </div>
  )
}
