import { ActionIcon, Badge, Button, Group, Input, PasswordInput, Stack, Text, TextInput } from '@mantine/core'
import { IconPlus, IconX } from '@tabler/icons-react'
import type { CaptureSettingsDraft, CaptureUserDraft } from './capture-settings-draft'

interface CaptureUsersFieldProps {
  users: CaptureUserDraft[]
  passwords: CaptureSettingsDraft['passwords']
  onChange: (users: CaptureUserDraft[], passwords: CaptureSettingsDraft['passwords']) => void
  error?: string | undefined
}

/**
 * The users SMTP AUTH "listed" accepts. Passwords are write-only: the form knows whether one is
 * stored, never which; it can replace or clear it, and the new one goes to the secret store.
 */
export function CaptureUsersField({ users, passwords, onChange, error }: CaptureUsersFieldProps) {
  const setPassword = (username: string, value: string | null | undefined) => {
    const next = { ...passwords }
    if (value === undefined) delete next[username]
    else next[username] = value
    onChange(users, next)
  }
  const rename = (index: number, username: string) => {
    const old = users[index]!.username
    const next = { ...passwords }
    if (old in next) {
      next[username] = next[old] ?? null
      delete next[old]
    }
    onChange(users.with(index, { ...users[index]!, username }), next)
  }
  const remove = (index: number) => {
    const next = { ...passwords }
    delete next[users[index]!.username]
    onChange(users.toSpliced(index, 1), next)
  }
  return (
    <Input.Wrapper label="Users" description="Only these may log in when SMTP AUTH is “listed”." error={error}>
      <Stack gap={6} mt={6} aria-label="Capture users">
        {users.length === 0 && (
          <Text size="xs" c="dimmed">
            No users yet.
          </Text>
        )}
        {users.map((user, index) => {
          const given = passwords[user.username]
          return (
            <Group key={index} gap={6} wrap="nowrap" align="center" aria-label={`User ${user.username || index + 1}`} role="group">
              {user.added ? (
                <TextInput aria-label="Username" placeholder="username" w={180} size="xs" value={user.username} onChange={(e) => rename(index, e.currentTarget.value)} />
              ) : (
                <Text size="sm" ff="monospace" w={180} truncate>
                  {user.username}
                </Text>
              )}
              {given === null ? (
                <>
                  <Badge color="orange" variant="light">
                    password cleared on save
                  </Badge>
                  <Button size="compact-xs" variant="subtle" onClick={() => setPassword(user.username, undefined)}>
                    Undo
                  </Button>
                </>
              ) : user.passwordSet && given === undefined ? (
                <>
                  <Badge color="teal" variant="light">
                    password set
                  </Badge>
                  <Button size="compact-xs" variant="subtle" onClick={() => setPassword(user.username, '')}>
                    Replace
                  </Button>
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setPassword(user.username, null)}>
                    Clear
                  </Button>
                </>
              ) : (
                <PasswordInput
                  aria-label={`New password for ${user.username || 'the new user'}`}
                  placeholder={user.passwordSet ? 'new password' : 'password'}
                  size="xs"
                  w={200}
                  autoComplete="new-password"
                  value={given ?? ''}
                  onChange={(e) => setPassword(user.username, e.currentTarget.value)}
                />
              )}
              <ActionIcon variant="subtle" color="gray" aria-label={`Remove user ${user.username || index + 1}`} onClick={() => remove(index)}>
                <IconX size={14} />
              </ActionIcon>
            </Group>
          )
        })}
        <Button size="compact-sm" variant="light" w="fit-content" leftSection={<IconPlus size={14} />} onClick={() => onChange([...users, { username: '', passwordSet: false, added: true }], passwords)}>
          Add user
        </Button>
      </Stack>
    </Input.Wrapper>
  )
}
