import { Table } from '@mantine/core'
import type { MessageDetailView } from '../../../../main/api/contract'

/** Every header in the order received, repeated ones (Received) included. */
export function HeadersTable({ headers }: { headers: MessageDetailView['headers'] }) {
  return (
    <Table fz="xs" verticalSpacing={2} horizontalSpacing={6} striped aria-label="Headers">
      <Table.Tbody>
        {headers.map((header, index) => (
          <Table.Tr key={index}>
            <Table.Th ff="monospace" fw={600} style={{ verticalAlign: 'top', whiteSpace: 'nowrap' }}>
              {header.name}
            </Table.Th>
            <Table.Td ff="monospace" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {header.value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
