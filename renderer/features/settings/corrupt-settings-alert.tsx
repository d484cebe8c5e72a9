import { Alert, Button, Code, Group, List, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconFileBroken, IconReload } from '@tabler/icons-react'
import { useApiMutation } from '../../api/hooks'
import { ConfirmButton } from '../../components/confirm-button'
import { ErrorAlert } from '../../components/error-alert'

/**
 * settings.json could not be read at all. Two ways out: fix the file by hand and reload, or move it
 * aside (kept, never deleted) and start again from the defaults.
 */
export function CorruptSettingsAlert({ file, problems }: { file: string; problems: readonly string[] }) {
  const reload = useApiMutation('settings.reload')
  const recover = useApiMutation('settings.recover', {
    onSuccess: ({ backup }) =>
      notifications.show({ color: 'teal', title: 'Started from the defaults', message: backup ? `The old file was kept as ${backup}.` : 'There was no file to keep.' }),
  })
  return (
    <Alert color="red" icon={<IconFileBroken size={18} />} title="The settings file cannot be read" role="alert">
      <Text size="sm">
        <Code>{file}</Code> is not valid. Backplane runs on its defaults until it is fixed. Edit it and reload, or back it up and start fresh.
      </Text>
      {problems.length > 0 && (
        <List size="sm" mt={6}>
          {problems.map((problem) => (
            <List.Item key={problem}>{problem}</List.Item>
          ))}
        </List>
      )}
      <Group gap="xs" mt="sm">
        <Button variant="default" leftSection={<IconReload size={14} />} loading={reload.isPending} onClick={() => reload.mutate({})}>
          Reload
        </Button>
        <ConfirmButton
          variant="filled"
          title="Back up the settings file and start fresh?"
          message={`${file} is renamed (kept beside it) and new settings are written with the defaults. Secrets stay in the secret store.`}
          confirmLabel="Back up and start fresh"
          onConfirm={() => recover.mutateAsync({})}
        >
          Back up and start fresh
        </ConfirmButton>
      </Group>
      {reload.isError && <ErrorAlert error={reload.error} title="Still unreadable" />}
    </Alert>
  )
}
