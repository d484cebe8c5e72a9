import { Kbd, Table } from '@mantine/core'

/** Keys and what they do, one row each: what every screen's keyboard help shows. */
export function ShortcutsTable({ shortcuts, label }: { shortcuts: readonly (readonly [string, string])[]; label?: string }) {
  return (
    <Table fz="xs" withRowBorders={false} verticalSpacing={2} horizontalSpacing={6} aria-label={label}>
      <Table.Tbody>
        {shortcuts.map(([keys, what]) => (
          <Table.Tr key={keys}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>
              <Kbd size="xs">{keys}</Kbd>
            </Table.Td>
            <Table.Td>{what}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
