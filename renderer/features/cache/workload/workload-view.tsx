import { Select, SimpleGrid, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import { useApiQuery } from '../../../api/hooks'
import { WorkloadColumn } from './workload-column'
import { DEFAULT_SETTINGS, WorkloadSettingsForm, type WorkloadSettings } from './workload-settings'

/**
 * A get/set mix against the alias, and the same mix against a second alias beside it, so two engines
 * or two servers compare on equal terms. One runs at a time: two at once would measure each other.
 */
export function WorkloadView({ alias }: { alias: string }) {
  const [settings, setSettings] = useState<WorkloadSettings>(DEFAULT_SETTINGS)
  const [running, setRunning] = useState<'first' | 'second' | null>(null)
  const aliases = (useApiQuery('settings.get', {}).data?.aliases ?? []).filter((a) => a.kind === 'cache' && a.valid)
  const [other, setOther] = useState<string | null>(null)
  const compared = other ?? aliases.find((a) => a.name !== alias)?.name ?? null
  return (
    <Stack gap="sm">
      <WorkloadSettingsForm value={settings} onChange={setSettings} disabled={running !== null} />
      <Text size="xs" c="dimmed">
        It loads the server for real: run it against a development cache, not one in production.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <WorkloadColumn label={`Workload on ${alias}`} header={`Alias “${alias}”`} alias={alias} settings={settings} otherRunning={running === 'second'} onRunningChange={(on) => setRunning(on ? 'first' : null)} />
        <WorkloadColumn
          label="Workload on the compared alias"
          header={
            <Select
              label="Compare with"
              w={240}
              value={compared}
              onChange={setOther}
              data={aliases.map((a) => ({ value: a.name, label: `${a.name} · ${a.engine}` }))}
              disabled={running === 'second'}
              placeholder="another cache alias"
              nothingFoundMessage="No other cache alias"
              comboboxProps={{ withinPortal: true }}
            />
          }
          alias={compared}
          settings={settings}
          otherRunning={running === 'first'}
          onRunningChange={(on) => setRunning(on ? 'second' : null)}
        />
      </SimpleGrid>
    </Stack>
  )
}
