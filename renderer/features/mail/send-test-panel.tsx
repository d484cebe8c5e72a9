import { Button, Center, Group, Loader, Text } from '@mantine/core'
import { IconSettings } from '@tabler/icons-react'
import { Link } from 'react-router'
import { AliasSelect } from '../../components/alias-select'
import { EmptyMessage } from '../../components/empty-message'
import { ErrorAlert } from '../../components/error-alert'
import { useAliasChoice } from '../../components/use-alias-choice'
import { ComposeForm } from './compose/compose-form'

/** Composing a test message through a mail alias, with the alias picker the other alias pages have. */
export function SendTestPanel() {
  const { alias, aliases, choose, settings } = useAliasChoice('mail')
  if (settings.isPending) {
    return (
      <Center py="xl">
        <Loader size="sm" aria-label="Loading settings" />
      </Center>
    )
  }
  if (settings.isError) return <ErrorAlert error={settings.error} title="Could not read the settings" />
  if (alias === null) {
    return (
      <EmptyMessage
        title="No mail alias is configured"
        actions={
          <Button component={Link} to="/settings?kind=mail" leftSection={<IconSettings size={14} />}>
            Add one in Settings
          </Button>
        }
      >
        Add a mail alias in Settings, then come back here.
      </EmptyMessage>
    )
  }
  return (
    <>
      <Group justify="space-between" align="flex-end" mb="sm">
        <Text size="sm" c="dimmed">
          Send a test message through a mail alias and see every step of its way.
        </Text>
        <AliasSelect label="Mail alias" aliases={aliases} value={alias} onChange={choose} />
      </Group>
      <div key={alias}>
        <ComposeForm alias={alias} />
      </div>
    </>
  )
}
