import { Button, Center, Loader, Stack } from '@mantine/core'
import { IconRefresh, IconSettings } from '@tabler/icons-react'
import { useEffect } from 'react'
import { Link } from 'react-router'
import { KINDS } from '../../../main/api/contract'
import { useApiQuery } from '../../api/hooks'
import { EmptyMessage } from '../../components/empty-message'
import { ErrorAlert } from '../../components/error-alert'
import { PageHeader } from '../../components/page-header'
import { SettingsIssuesList } from '../../components/settings-issues-list'
import { CaptureServerCard } from './capture-server-card'
import { KindHealthGroup } from './kind-health-group'
import { SecretStoreWarning } from './secret-store-warning'
import { useHealthCheck } from './use-health-check'

/** Every alias of every kind and whether it answers, kept live by health.changed. */
export function DashboardPage() {
  const health = useApiQuery('health.list', {})
  const settings = useApiQuery('settings.get', {})
  const checkAll = useHealthCheck()
  // A summary ("3 tables and views") is only as fresh as its check: opening the page checks again,
  // so it shows what changed since (a migration, a table made in the console), not the first check.
  const { mutate } = checkAll
  useEffect(() => mutate({}), [mutate])
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Every configured backend and whether it answers right now."
        actions={
          <Button leftSection={<IconRefresh size={14} />} loading={checkAll.isPending} onClick={() => checkAll.mutate({})}>
            Check now
          </Button>
        }
      />
      <Stack gap="md">
        <SecretStoreWarning />
        {settings.data && (
          <SettingsIssuesList
            issues={settings.data.issues}
            action={
              <Button component={Link} to="/settings" variant="default" leftSection={<IconSettings size={14} />}>
                Fix in Settings
              </Button>
            }
          />
        )}
        {checkAll.isError && <ErrorAlert error={checkAll.error} title="The checks could not run" onClose={() => checkAll.reset()} />}
        {health.isPending && (
          <Center py="xl">
            <Loader size="sm" aria-label="Loading health reports" />
          </Center>
        )}
        {health.isError && <ErrorAlert error={health.error} title="Could not read the health reports" actions={<Button onClick={() => void health.refetch()}>Try again</Button>} />}
        {health.data?.length === 0 && (
          <EmptyMessage
            title="No backends configured"
            actions={
              <Button component={Link} to="/settings" leftSection={<IconSettings size={14} />}>
                Open Settings
              </Button>
            }
          >
            Add an alias for mail, data, cache, auth or storage in Settings.
          </EmptyMessage>
        )}
        {health.data &&
          KINDS.map((kind) => {
            const reports = health.data.filter((report) => report.kind === kind)
            return reports.length > 0 && <KindHealthGroup key={kind} kind={kind} reports={reports} checkingAll={checkAll.isPending} />
          })}
        <CaptureServerCard />
      </Stack>
    </>
  )
}
