import { Badge, Button, Center, Code, Loader, Stack, Tabs } from '@mantine/core'
import { IconReload } from '@tabler/icons-react'
import { useSearchParams } from 'react-router'
import { KIND_TITLES, KINDS, Kind } from '../../../main/api/contract'
import { useApiMutation, useApiQuery } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'
import { PageHeader } from '../../components/page-header'
import { SettingsIssuesList } from '../../components/settings-issues-list'
import { CorruptSettingsAlert } from './corrupt-settings-alert'
import { KindAliasesPanel } from './kind-aliases-panel'
import { TrustedModules } from './trusted-modules'

/** One tab per kind; the chosen tab lives in the URL (?kind=cache) so other pages can link to it. */
export function SettingsPage() {
  const settings = useApiQuery('settings.get', {})
  const engines = useApiQuery('settings.engines', {})
  const reload = useApiMutation('settings.reload')
  const [params, setParams] = useSearchParams()
  const kind = Kind.safeParse(params.get('kind')).data ?? 'mail'
  const data = settings.data
  return (
    <>
      <PageHeader
        title="Settings"
        description={data ? <>Aliases per kind, kept in <Code fz="xs">{data.file}</Code></> : 'Aliases per kind.'}
        actions={
          <Button variant="default" leftSection={<IconReload size={14} />} loading={reload.isPending} onClick={() => reload.mutate({})}>
            Reload from disk
          </Button>
        }
      />
      {(settings.isPending || engines.isPending) && (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading settings" />
        </Center>
      )}
      {settings.isError && <ErrorAlert error={settings.error} title="Could not read the settings" />}
      {engines.isError && <ErrorAlert error={engines.error} title="Could not list the engines" />}
      {reload.isError && <ErrorAlert error={reload.error} title="Reload failed" onClose={() => reload.reset()} />}
      {data && engines.data && (
        <Stack gap="md">
          {data.status === 'corrupt' ? (
            <CorruptSettingsAlert file={data.file} problems={data.issues.map((issue) => issue.message)} />
          ) : (
            <SettingsIssuesList issues={data.issues.filter((issue) => !issue.alias)} />
          )}
          <Tabs value={kind} onChange={(next) => next && setParams({ kind: next }, { replace: true })} keepMounted={false}>
            <Tabs.List>
              {KINDS.map((k) => {
                const count = data.aliases.filter((alias) => alias.kind === k).length
                const invalid = data.aliases.some((alias) => alias.kind === k && !alias.valid)
                return (
                  <Tabs.Tab key={k} value={k} rightSection={<Badge size="xs" color={invalid ? 'red' : 'gray'} circle>{count}</Badge>}>
                    {KIND_TITLES[k]}
                  </Tabs.Tab>
                )
              })}
            </Tabs.List>
            {KINDS.map((k) => (
              <Tabs.Panel key={k} value={k} pt="sm">
                <KindAliasesPanel
                  kind={k}
                  aliases={data.aliases.filter((alias) => alias.kind === k)}
                  engines={engines.data.filter((engine) => engine.kind === k)}
                  issues={data.issues}
                />
              </Tabs.Panel>
            ))}
          </Tabs>
          <TrustedModules />
        </Stack>
      )}
    </>
  )
}
