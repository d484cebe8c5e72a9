import { Code, Table, Text } from '@mantine/core'
import { formatMs } from '../../../components/format'
import { OutcomeBadge } from '../outcome-badge'
import type { ChainAttempt } from '../types'

/** One row per backend, in the order Django's authenticate() asked them. */
export function ChainTable({ attempts }: { attempts: readonly ChainAttempt[] }) {
  return (
    <Table aria-label="Backends asked" striped withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={32}>#</Table.Th>
          <Table.Th>Alias</Table.Th>
          <Table.Th>Engine</Table.Th>
          <Table.Th>Outcome</Table.Th>
          <Table.Th>Why</Table.Th>
          <Table.Th ta="right">Time</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {attempts.map((attempt, index) => (
          <Table.Tr key={`${index}:${attempt.alias}`} aria-label={`Backend ${attempt.alias}`}>
            <Table.Td c="dimmed">{index + 1}</Table.Td>
            <Table.Td ff="monospace">{attempt.alias}</Table.Td>
            <Table.Td ff="monospace" fz="xs">
              {attempt.engine}
            </Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <OutcomeBadge outcome={attempt.outcome} />
            </Table.Td>
            <Table.Td>
              {attempt.message && <Text size="xs">{attempt.message}</Text>}
              {attempt.error && (
                <Text size="xs" c="red">
                  <Code fz={10}>{attempt.error.code}</Code> {attempt.error.message}
                  {attempt.error.hint && (
                    <Text span size="xs" c="dimmed" display="block">
                      {attempt.error.hint}
                    </Text>
                  )}
                </Text>
              )}
            </Table.Td>
            <Table.Td ta="right" ff="monospace" fz="xs" style={{ whiteSpace: 'nowrap' }}>
              {formatMs(attempt.ms)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
