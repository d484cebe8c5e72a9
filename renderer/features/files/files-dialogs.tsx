import { Button, Modal } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { ErrorCode } from '../../../main/api/contract'
import { ApiError } from '../../api/api-error'
import { useApiClient } from '../../api/hooks'
import { DeleteDialog } from './delete-dialog'
import { baseName, joinName, parentOf } from './entry-names'
import { FilePreview } from './file-preview'
import { NameDialog } from './name-dialog'
import { TransferDialog } from './transfer-dialog'
import type { StorageEntry } from './types'

export type FilesDialog =
  | { kind: 'newFolder' }
  | { kind: 'rename'; entry: StorageEntry }
  | { kind: 'delete'; entries: readonly StorageEntry[] }
  | { kind: 'copy' | 'move'; entries: readonly StorageEntry[] }
  | { kind: 'preview'; entry: StorageEntry }

interface FilesDialogsProps {
  alias: string
  folder: string
  dialog: FilesDialog | null
  onClose: () => void
  /** After a rename or a new folder: the name to select. */
  onNamed: (name: string) => void
  onDeleted: () => void
  onTransferStarted: () => void
  onDownload: (entries: readonly StorageEntry[]) => void
}

/** The one dialog open at a time over the file browser. */
export function FilesDialogs({ alias, folder, dialog, onClose, onNamed, onDeleted, onTransferStarted, onDownload }: FilesDialogsProps) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['storage.list'] })
  if (!dialog) return null
  switch (dialog.kind) {
    case 'newFolder':
      return (
        <NameDialog
          opened
          title={`New folder in ${alias}:/${folder}`}
          label="Folder name"
          initial=""
          submitLabel="Create folder"
          onClose={onClose}
          onSubmit={async (name) => {
            const made = await client.call('storage.makeFolder', { alias, name: joinName(folder, name) })
            await refresh()
            onNamed(made.name)
          }}
        />
      )
    case 'rename': {
      const { entry } = dialog
      const move = async (name: string, conflict: 'fail' | 'overwrite') => {
        const moved = await client.call('storage.move', { alias, from: entry.name, to: joinName(parentOf(entry.name), name), conflict })
        await refresh()
        onNamed(moved.name)
      }
      return (
        <NameDialog
          opened
          title={`Rename “${baseName(entry.name)}”`}
          label="New name"
          initial={baseName(entry.name)}
          submitLabel="Rename"
          onClose={onClose}
          onSubmit={(name) => move(name, 'fail')}
          errorActions={(error, name) =>
            ApiError.from(error).code === ErrorCode.E_EXISTS && entry.type === 'file' ? (
              <Button size="xs" color="red" variant="light" onClick={() => void move(name, 'overwrite').then(onClose, () => undefined)}>
                Replace “{name}”
              </Button>
            ) : null
          }
        />
      )
    }
    case 'delete':
      return (
        <DeleteDialog
          alias={alias}
          names={dialog.entries.map((entry) => entry.name)}
          onClose={onClose}
          onConfirm={async () => {
            await client.call('storage.delete', { alias, names: dialog.entries.map((entry) => entry.name) })
            await refresh()
            onDeleted()
          }}
        />
      )
    case 'copy':
    case 'move':
      return (
        <TransferDialog
          kind={dialog.kind}
          alias={alias}
          names={dialog.entries.map((entry) => entry.name)}
          folder={folder}
          onClose={onClose}
          onStarted={() => {
            onClose()
            onTransferStarted()
          }}
        />
      )
    case 'preview':
      return (
        <Modal opened onClose={onClose} title={baseName(dialog.entry.name)} size="90%" centered>
          <FilePreview alias={alias} entry={dialog.entry} height={Math.round(window.innerHeight * 0.7)} onDownload={() => onDownload([dialog.entry])} />
        </Modal>
      )
  }
}
