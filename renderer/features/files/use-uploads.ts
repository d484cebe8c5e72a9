import { notifications } from '@mantine/notifications'
import { useCallback, useState, type DragEvent } from 'react'
import { useApiClient } from '../../api/hooks'
import { ApiError } from '../../api/api-error'
import { entriesOfDrop, pickedFromInput, walkDropped, type PickedTree } from './dropped-files'
import { joinName } from './entry-names'
import type { Conflict } from './types'
import { uploadQueue } from './upload-queue'

/**
 * Uploads into the folder shown: files and folders by drop or picker, each file a transfer in the
 * queue; the empty folders of a dropped tree are created, since no file would create them.
 */
export function useUploads(alias: string, folder: string, conflict: Conflict) {
  const client = useApiClient()
  const [dragDepth, setDragDepth] = useState(0)

  const upload = useCallback(
    async (tree: PickedTree) => {
      uploadQueue.enqueue(
        alias,
        tree.files.map(({ file, path }) => ({ file, name: joinName(folder, path) })),
        conflict,
      )
      for (const empty of tree.emptyFolders) {
        await client.call('storage.makeFolder', { alias, name: joinName(folder, empty) }).catch((error: unknown) => {
          notifications.show({ title: `Could not create the folder ${empty}`, message: ApiError.from(error).message, color: 'red' })
        })
      }
    },
    [alias, folder, conflict, client],
  )

  const uploadPicked = useCallback((files: File[]) => void upload({ files: pickedFromInput(files), emptyFolders: [] }), [upload])

  const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files')
  const dropHandlers = {
    onDragEnter: (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      setDragDepth((depth) => depth + 1)
    },
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
    },
    onDragLeave: (event: DragEvent) => {
      if (hasFiles(event)) setDragDepth((depth) => Math.max(0, depth - 1))
    },
    onDrop: (event: DragEvent) => {
      if (!hasFiles(event)) return
      event.preventDefault()
      setDragDepth(0)
      const { entries, files } = entriesOfDrop(event.dataTransfer)
      if (entries.length === 0) {
        uploadPicked(files)
        return
      }
      walkDropped(entries).then(upload, (error: unknown) => {
        notifications.show({ title: 'Could not read the dropped folder', message: ApiError.from(error).message, color: 'red' })
      })
    },
  }

  return { uploadPicked, dropHandlers, dragging: dragDepth > 0 }
}
