import { Group, SegmentedControl, Stack, Table, Text } from '@mantine/core'
import { useState } from 'react'
import type { MessageDetailView } from '../../../../main/api/contract'

type Form = 'decoded' | 'raw'

/**
 * Every header in the order received, repeated ones (Received) included. Encoded words
 * (`=?utf-8?b?…?=`) are shown decoded; the form on the wire is one click away, as in a mail client's
 * "show original".
 */
export function HeadersTable({ headers }: { headers: MessageDetailView['headers'] }) {
  const [form, setForm] = useState<Form>('decoded')
  const encoded = headers.some((h) => h.decoded !== null)
  return (
    <Stack gap={6}>
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="dimmed">
          {encoded ? (form === 'decoded' ? 'Encoded words are shown decoded.' : 'As received, encoded words included.') : 'No header uses encoded words.'}
        </Text>
        <SegmentedControl
          size="xs"
          value={form}
          onChange={(value) => setForm(value as Form)}
          disabled={!encoded}
          aria-label="Header form"
          data={[
            { value: 'decoded', label: 'Decoded' },
            { value: 'raw', label: 'Raw' },
          ]}
        />
      </Group>
      <Table fz="xs" verticalSpacing={2} horizontalSpacing={6} striped aria-label="Headers">
        <Table.Tbody>
          {headers.map((header, index) => (
            <Table.Tr key={index}>
              <Table.Th ff="monospace" fw={600} style={{ verticalAlign: 'top', whiteSpace: 'nowrap' }}>
                {header.name}
              </Table.Th>
              <Table.Td ff="monospace" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {form === 'decoded' ? (header.decoded ?? header.value) : header.value}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
