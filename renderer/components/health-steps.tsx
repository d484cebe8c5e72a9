import { Code, Table, Text, ThemeIcon } from '@mantine/core'
import { IconCheck, IconX } from '@tabler/icons-react'
import type { HealthStep } from '../../main/api/contract'
import { formatMs } from './format'
import { HostKeyPrompt } from './host-key-prompt'

/**
 * The steps of a check or a send (connect, query, set, get…): which one failed is usually the
 * answer to "why is it down", so each failed step shows its error code, message and hint.
 */
export function HealthSteps({ steps }: { steps: readonly HealthStep[] }) {
  if (steps.length === 0) return <Text c="dimmed">No steps were recorded.</Text>
  return (
    <Table withRowBorders={false} highlightOnHover={false} aria-label="Steps">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={28} />
          <Table.Th>Step</Table.Th>
          <Table.Th w={80} ta="right">
            Time
          </Table.Th>
          <Table.Th>Detail</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {steps.map((step, index) => (
          <Table.Tr key={`${step.name}-${index}`}>
            <Table.Td>
              <ThemeIcon size={16} radius="xl" color={step.ok ? 'teal' : 'red'} variant="light" aria-label={step.ok ? 'passed' : 'failed'}>
                {step.ok ? <IconCheck size={12} /> : <IconX size={12} />}
              </ThemeIcon>
            </Table.Td>
            <Table.Td ff="monospace">{step.name}</Table.Td>
            <Table.Td ta="right" ff="monospace">
              {formatMs(step.ms)}
            </Table.Td>
            <Table.Td>
              {step.detail && <Text size="xs">{step.detail}</Text>}
              {step.error && (
                <Text size="xs" c="red">
                  <Code fz={10}>{step.error.code}</Code> {step.error.message}
                </Text>
              )}
              {step.error?.hint && (
                <Text size="xs" c="dimmed">
                  {step.error.hint}
                </Text>
              )}
              <HostKeyPrompt error={step.error} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
