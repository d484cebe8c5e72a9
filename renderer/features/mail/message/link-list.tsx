import { Anchor, Badge, Table, Text } from '@mantine/core'
import type { MessageLink } from './html-inspection'

/** Every link in the message, once each: check where a reset or confirm link really points. */
export function LinkList({ links }: { links: readonly MessageLink[] }) {
  if (links.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This message has no links.
      </Text>
    )
  }
  return (
    <Table fz="xs" verticalSpacing={3} aria-label="Links">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Address</Table.Th>
          <Table.Th>Text</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {links.map((link) => (
          <Table.Tr key={link.href}>
            <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
              {link.kind === 'other' ? (
                <Text span fz="xs" c="dimmed" title="Not a web, mail or phone link: not opened from here">
                  {link.href}
                </Text>
              ) : (
                <Anchor href={link.href} target="_blank" rel="noopener noreferrer" fz="xs">
                  {link.href}
                </Anchor>
              )}
              {link.count > 1 && (
                <Badge size="xs" variant="light" ml={4}>
                  ×{link.count}
                </Badge>
              )}
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-word' }}>{link.text}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
