import { Loader, Text } from '@mantine/core'
import { countOf } from '../../../main/api/contract'
import { useApiQuery } from '../../api/hooks'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { formatBytes } from '../../components/format'
import { baseName } from './entry-names'

interface DeleteDialogProps {
  alias: string
  names: readonly string[]
  onClose: () => void
  onConfirm: () => Promise<unknown>
}

/** Before a delete: how many files and folders it takes with it (storage.summarize walks the folders), named on the button. */
export function DeleteDialog({ alias, names, onClose, onConfirm }: DeleteDialogProps) {
  const summary = useApiQuery('storage.summarize', { alias, names: [...names] }, { staleTime: 0, gcTime: 0 })
  const what = names.length === 1 ? `“${baseName(names[0] ?? '')}”` : countOf(names.length, 'item')
  const counts = summary.data
  const atLeast = counts?.truncated ? 'at least ' : ''
  const label = counts ? `Delete ${atLeast}${countOf(counts.files, 'file')}${counts.folders > 0 ? ` and ${countOf(counts.folders, 'folder')}` : ''}` : 'Delete'
  return (
    <ConfirmDialog
      opened
      onClose={onClose}
      title={`Delete ${what}?`}
      confirmLabel={label}
      onConfirm={onConfirm}
      message={
        summary.isPending ? (
          <Text component="span" size="sm">
            <Loader size="xs" mr={6} aria-label="Counting" /> Counting what is in it…
          </Text>
        ) : counts ? (
          <span aria-label="What will be deleted">
            This deletes {atLeast}
            {countOf(counts.files, 'file')}
            {counts.folders > 0 && ` in ${countOf(counts.folders, 'folder')}`} ({formatBytes(counts.bytes)}) from “{alias}”. It cannot be undone.
          </span>
        ) : (
          // Counting failed (an engine without summarize): the delete itself may still work.
          `Everything in it is deleted from “${alias}”. It cannot be undone. (${summary.error?.message ?? 'The count is not available.'})`
        )
      }
    />
  )
}
