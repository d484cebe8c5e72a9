import { Badge, Code, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core'
import { IconShieldCheck } from '@tabler/icons-react'
import type { TrustedModuleView } from '../../../main/api/contract'
import { useApiQuery } from '../../api/hooks'
import { CopyCommand } from '../../components/copy-command'
import { ErrorAlert } from '../../components/error-alert'
import { RelativeTime } from '../../components/relative-time'
import { trustCommand } from './trust-command'

const STATE_COLOR: Record<TrustedModuleView['state'], string> = { trusted: 'teal', changed: 'orange', missing: 'red' }
const STATE_TEXT: Record<TrustedModuleView['state'], string> = {
  trusted: 'The file is the content that was trusted.',
  changed: 'The file changed since it was trusted: it does not load until it is trusted again.',
  missing: 'The file is not there any more.',
}

/**
 * The custom engine modules trusted to run, read-only: trusting is done from a terminal (or, in the
 * desktop app, from its own dialog when an alias needs a module), never by the API itself.
 */
export function TrustedModules() {
  const trusted = useApiQuery('engines.trusted', {})
  const data = trusted.data
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="trusted-modules-title">
      <Stack gap="xs">
        <Group gap={6}>
          <IconShieldCheck size={16} />
          <Text fw={600} id="trusted-modules-title">
            Trusted engine modules
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          A custom engine runs with Backplane's own rights, so it loads only once its exact content is trusted; an edited file must be trusted again.
        </Text>
        {trusted.isError && <ErrorAlert error={trusted.error} title="Could not list the trusted modules" />}
        {data && data.modules.length === 0 && <Text size="sm">No module is trusted yet.</Text>}
        {data && data.modules.length > 0 && (
          <Table aria-label="Trusted engine modules" verticalSpacing={4} fz="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Module</Table.Th>
                <Table.Th>File</Table.Th>
                <Table.Th>SHA-256</Table.Th>
                <Table.Th>Trusted</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.modules.map((module) => (
                <Table.Tr key={module.file}>
                  <Table.Td>
                    <Code fz="xs">{module.spec}</Code>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{module.file}</Table.Td>
                  <Table.Td>
                    <Tooltip label={module.sha256}>
                      <Code fz="xs">{module.sha256.slice(0, 12)}…</Code>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <RelativeTime iso={module.trustedAt} />
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={STATE_TEXT[module.state]}>
                      <Badge size="sm" variant="light" color={STATE_COLOR[module.state]}>
                        {module.state}
                      </Badge>
                    </Tooltip>
                    {module.state === 'changed' && (
                      <Stack gap={2} mt={4}>
                        <Text size="xs">Read it, then trust it again:</Text>
                        <CopyCommand command={trustCommand(module.spec, null, data.command) ?? data.command} label={`Copy the command that trusts ${module.spec} again`} />
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {data && (
          <Stack gap={4}>
            <Text size="xs">To trust a module, read it, then run (with the module as an alias names it):</Text>
            <CopyCommand command={data.command} label="Copy the trust command" />
          </Stack>
        )}
      </Stack>
    </Paper>
  )
}
