import { Alert, Badge, Button, Center, Group, Loader, Modal, ScrollArea, Stack, Text } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { countOf, ErrorCode, type MethodOutput } from '../../../../main/api/contract'
import { ApiError } from '../../../api/api-error'
import { useApiClient } from '../../../api/hooks'
import { CodeBlock } from '../../../components/code-block'
import { ErrorAlert } from '../../../components/error-alert'
import type { ChangeInput, TableRef } from './table-ref'

type Applied = MethodOutput<'data.applyChanges'>

interface ReviewDialogProps {
  alias: string
  table: TableRef
  changes: ChangeInput[]
  /** Shown above the statements (a table without a primary key). */
  warning?: string | undefined
  onClose: () => void
  onCommitted: (result: Applied) => void
  /** The server refused to write (a read-only alias). */
  onReadOnly: () => void
}

/**
 * Every statement the pending edits will run, as the server plans them (data.planChanges, literals
 * written out), then Commit: data.applyChanges runs them all in one transaction. A conflict (a row
 * changed meanwhile) is said here and the edits stay pending.
 */
export function ReviewDialog({ alias, table, changes, warning, onClose, onCommitted, onReadOnly }: ReviewDialogProps) {
  const client = useApiClient()
  const input = { alias, table, changes }
  const plan = useQuery({ queryKey: ['data.planChanges', input], queryFn: () => client.call('data.planChanges', input), gcTime: 0, retry: false })
  const [committing, setCommitting] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)

  const commit = async () => {
    setCommitting(true)
    setFailure(null)
    try {
      onCommitted(await client.call('data.applyChanges', input))
    } catch (error) {
      const apiError = ApiError.from(error)
      if (apiError.code === ErrorCode.E_READ_ONLY) onReadOnly()
      setFailure(apiError)
    } finally {
      setCommitting(false)
    }
  }

  const conflictStatement = failure?.code === ErrorCode.E_CONFLICT ? (failure.details as { statement?: unknown } | undefined)?.statement : undefined
  return (
    <Modal opened onClose={() => !committing && onClose()} title="Review and commit" size="xl">
      <Stack gap="sm">
        {warning && (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={16} />} p="xs">
            {warning}
          </Alert>
        )}
        {plan.isPending ? (
          <Center py="md">
            <Loader size="sm" aria-label="Planning the statements" />
          </Center>
        ) : plan.isError ? (
          <ErrorAlert error={plan.error} title="The edits cannot be planned" />
        ) : (
          <>
            <Text size="sm">{countOf(plan.data.length, 'statement')} in one transaction: all of them run, or none.</Text>
            <ScrollArea.Autosize mah="55vh" type="auto">
              <Stack gap={6} aria-label="Statements">
                {plan.data.map((statement, i) => (
                  <Group key={i} gap={6} align="flex-start" wrap="nowrap">
                    <Badge size="sm" variant="light" color="gray" w={36} style={{ flex: 'none' }}>
                      {i + 1}
                    </Badge>
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <CodeBlock maxHeight={200} label={`Statement ${i + 1}`}>
                        {statement.display}
                      </CodeBlock>
                    </div>
                  </Group>
                ))}
              </Stack>
            </ScrollArea.Autosize>
          </>
        )}
        {failure && (
          <ErrorAlert error={failure} title={failure.code === ErrorCode.E_CONFLICT ? 'Nothing was committed: a row changed' : 'Nothing was committed'} onClose={() => setFailure(null)} />
        )}
        {typeof conflictStatement === 'string' && <CodeBlock label="The statement that conflicted">{conflictStatement}</CodeBlock>}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Your edits stay pending until the commit succeeds.
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={onClose} disabled={committing}>
              Back to editing
            </Button>
            <Button onClick={() => void commit()} loading={committing} disabled={!plan.isSuccess} data-autofocus>
              Commit
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  )
}
