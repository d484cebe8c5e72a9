import { Button } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconTablePlus } from '@tabler/icons-react'
import { ApiError } from '../../../api/api-error'
import { useApiMutation } from '../../../api/hooks'
import { ErrorCode } from '../../../../main/api/contract'

/**
 * Whether an error says the database cache's table is not there yet (Django: run createcachetable).
 * The engine may flag it in details; otherwise its message or hint names the missing table.
 */
export function isMissingTable(error: unknown): boolean {
  const { code, message, hint, details } = ApiError.from(error)
  // The database engine names the table it did not find in details.missingTable.
  const flagged = (details as { missingTable?: unknown } | null | undefined)?.missingTable
  if (flagged === true || (typeof flagged === 'string' && flagged !== '')) return true
  if (code === ErrorCode.E_DISCONNECTED || code === ErrorCode.E_UNSUPPORTED) return false
  const text = `${message} ${hint ?? ''}`
  return /createcachetable|create table|no such table|does(n't| not) exist|is missing|missing table|undefined table|relation .* does not exist/i.test(text) && /table|relation/i.test(text)
}

/** Creates the database cache's table (cache.createTable), then lets the caller list again. */
export function CreateTableButton({ alias, onCreated }: { alias: string; onCreated: () => void }) {
  const create = useApiMutation('cache.createTable', {
    onSuccess: (result) => {
      notifications.show({ color: 'teal', title: result.created ? 'Table created' : 'The table was already there', message: result.sql })
      onCreated()
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Could not create the table', message: ApiError.from(error).message }),
  })
  return (
    <Button size="xs" leftSection={<IconTablePlus size={14} />} loading={create.isPending} onClick={() => create.mutate({ alias })}>
      Create table
    </Button>
  )
}
