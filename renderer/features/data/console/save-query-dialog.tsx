import { Button, Group, Modal, Stack, TextInput } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { MethodOutput } from '../../../../main/api/contract'
import { useApiMutation } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'

export type SavedQuery = MethodOutput<'dataConsole.saved'>[number]

export interface SaveRequest {
  /** Set to rename that saved query (its SQL is `sql`). */
  id?: string
  name: string
  sql: string
}

interface SaveQueryDialogProps {
  alias: string
  request: SaveRequest | null
  onClose: () => void
  onSaved: (saved: SavedQuery) => void
}

/** Names a query to save, or a saved query anew; a name already taken is refused by the server with E_EXISTS. */
export function SaveQueryDialog({ alias, request, onClose, onSaved }: SaveQueryDialogProps) {
  return (
    <Modal opened={request !== null} onClose={onClose} title={request?.id ? 'Rename the saved query' : 'Save the query'} size="sm" centered>
      {request && <SaveForm key={request.id ?? 'new'} alias={alias} request={request} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  )
}

function SaveForm({ alias, request, onClose, onSaved }: Omit<SaveQueryDialogProps, 'request'> & { request: SaveRequest }) {
  const queryClient = useQueryClient()
  const [name, setName] = useState(request.name)
  const save = useApiMutation('dataConsole.save', {
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['dataConsole.saved'] })
      onSaved(saved)
      onClose()
    },
  })
  const submit = () => {
    if (name.trim() !== '') save.mutate({ alias, name: name.trim(), sql: request.sql, ...(request.id ? { id: request.id } : {}) })
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        submit()
      }}
    >
      <Stack gap="sm">
        <TextInput label="Name" placeholder="Active users" value={name} onChange={(event) => setName(event.currentTarget.value)} maxLength={200} data-autofocus required />
        {save.isError && <ErrorAlert error={save.error} title="Not saved" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={name.trim() === ''}>
            {request.id ? 'Rename' : 'Save'}
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
