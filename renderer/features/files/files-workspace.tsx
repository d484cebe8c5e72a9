import { Grid, Group, Stack } from '@mantine/core'
import { IconFolderX } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useApiClient } from '../../api/hooks'
import { ConfirmButton } from '../../components/confirm-button'
import { FileDropZone } from '../../components/file-drop-zone'
import { FileList } from './file-list'
import { FilePreview, type StorageEntry } from './file-preview'
import { PathBreadcrumbs } from './path-breadcrumbs'
import { UploadList } from './upload-list'
import { useUploads } from './use-uploads'

/** Browse a storage alias folder by folder, upload into the current one, preview and delete files. */
export function FilesWorkspace({ alias }: { alias: string }) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const [path, setPath] = useState('')
  const [selected, setSelected] = useState<StorageEntry | null>(null)
  const { uploads, upload, clearFinished } = useUploads(alias)
  const navigate = (next: string) => {
    setPath(next)
    setSelected(null)
  }
  const deleteFolder = async () => {
    await client.call('storage.delete', { alias, name: path })
    await queryClient.invalidateQueries({ queryKey: ['storage.list'] })
    navigate(path.split('/').slice(0, -1).join('/'))
  }
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap={6}>
          <Group justify="space-between" wrap="nowrap">
            <PathBreadcrumbs alias={alias} path={path} onNavigate={navigate} />
            {path && (
              <ConfirmButton
                icon={<IconFolderX size={16} />}
                aria-label={`Delete the folder ${path}`}
                title={`Delete the folder “${path}” and everything in it?`}
                message={`Every file below it in storage alias “${alias}” is deleted. This cannot be undone.`}
                confirmLabel="Delete folder"
                onConfirm={deleteFolder}
              >
                Delete this folder
              </ConfirmButton>
            )}
          </Group>
          <FileDropZone onFiles={(files) => void upload(files, path)} pickLabel="Upload files" hint={`Drop files here to upload them into ${path ? `“${path}”` : 'the top folder'}, or`}>
            <div style={{ marginTop: 8 }}>
              <FileList alias={alias} path={path} selected={selected?.name ?? null} onOpen={(entry) => (entry.type === 'dir' ? navigate(entry.name) : setSelected(entry))} />
            </div>
          </FileDropZone>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="sm">
          <UploadList uploads={uploads} onClear={clearFinished} />
          {selected && <FilePreview key={selected.name} alias={alias} entry={selected} onDeleted={() => setSelected(null)} />}
        </Stack>
      </Grid.Col>
    </Grid>
  )
}
