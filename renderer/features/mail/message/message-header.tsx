import { Alert, Badge, Group, Table, Text, Title } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import type { MessageDetailView } from '../../../../main/api/contract'
import { formatBytes } from '../../../components/format'

/** Who sent what to whom, as the message says and as the SMTP envelope said (Bcc only shows there). */
export function MessageHeader({ message }: { message: MessageDetailView }) {
  const rows: [string, string][] = [
    ['From', message.from || message.envelopeFrom],
    ['To', message.to.join(', ')],
    ['Cc', message.cc.join(', ')],
    ['Bcc', message.bcc.join(', ')],
    ['Reply-To', message.replyTo.join(', ')],
    ['Date', message.date ? new Date(message.date).toLocaleString() : ''],
    ['Received', `${new Date(message.receivedAt).toLocaleString()} · ${formatBytes(message.size)}${message.authUser ? ` · SMTP user ${message.authUser}` : ''}`],
  ]
  return (
    <div>
      <Group gap={8} wrap="nowrap" align="flex-start" mb={4}>
        <Title order={2} style={{ wordBreak: 'break-word' }}>
          {message.subject || '(no subject)'}
        </Title>
        {message.mailbox !== 'default' && (
          <Badge variant="light" mt={4} tt="none" title="Mailbox">
            {message.mailbox}
          </Badge>
        )}
      </Group>
      <Table fz="xs" verticalSpacing={1} horizontalSpacing={6} withRowBorders={false} aria-label="Message header">
        <Table.Tbody>
          {rows
            .filter(([, value]) => value !== '')
            .map(([name, value]) => (
              <Table.Tr key={name}>
                <Table.Th w={72} c="dimmed" fw={500} style={{ verticalAlign: 'top' }}>
                  {name}
                </Table.Th>
                <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
      {message.parseWarning && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={16} />} title="This message could not be read completely" mt={6} p="xs" role="alert">
          <Text size="xs">{message.parseWarning}</Text>
          <Text size="xs" c="dimmed">
            The Raw tab shows exactly what was received.
          </Text>
        </Alert>
      )}
    </div>
  )
}
