import { Badge, Code, Group, List, Stack, Table, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import type { HashInspection } from '../types'

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={180} fw={500}>
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  )
}

/** The fields of a Django hash, as safe_summary() shows them, and must_update()'s verdict with its reasons. */
export function InspectionView({ inspection }: { inspection: HashInspection }) {
  const { algorithm, known, usable, parameters, salt, hashMasked, mustUpdate, reasons, preferred } = inspection
  const params = Object.entries(parameters)
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Text fw={600} ff="monospace">
          {algorithm}
        </Text>
        {!known && <Badge color="red">no hasher for it</Badge>}
        {!usable && <Badge color="gray">unusable password</Badge>}
        {algorithm === preferred && <Badge variant="light">preferred hasher</Badge>}
      </Group>
      <Table aria-label="Hash fields" withTableBorder>
        <Table.Tbody>
          <Fact label="Algorithm">
            <Code>{algorithm}</Code>
          </Fact>
          {params.map(([name, value]) => (
            <Fact key={name} label={name}>
              <Code>{String(value)}</Code>
            </Fact>
          ))}
          <Fact label="Salt">{salt === null ? <Text span c="dimmed" size="sm">none</Text> : <Code>{salt}</Code>}</Fact>
          <Fact label="Hash">{hashMasked === null ? <Text span c="dimmed" size="sm">none</Text> : <Code>{hashMasked}</Code>}</Fact>
          <Fact label="Would be upgraded">
            <Group gap="xs" aria-label="Would be upgraded">
              <Badge color={mustUpdate ? 'orange' : 'teal'}>{mustUpdate ? 'yes' : 'no'}</Badge>
              <Text span size="xs" c="dimmed">
                new passwords use <Code fz={10}>{preferred}</Code>
              </Text>
            </Group>
          </Fact>
        </Table.Tbody>
      </Table>
      {mustUpdate && reasons.length > 0 && (
        <div>
          <Text size="sm" fw={500}>
            The next correct login re-hashes it, because:
          </Text>
          <List size="sm" aria-label="Upgrade reasons">
            {reasons.map((reason) => (
              <List.Item key={reason}>{reason}</List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  )
}
