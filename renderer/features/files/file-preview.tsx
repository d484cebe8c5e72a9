import { Center, Code, Image, Loader, Text } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import type { StorageEntryView } from '../../../main/api/contract'
import type { z } from 'zod'
import { useApiClient, useApiQuery } from '../../api/hooks'
import { CodeBlock } from '../../components/code-block'
import { ConfirmButton } from '../../components/confirm-button'
import { ErrorAlert } from '../../components/error-alert'
import { formatBytes } from '../../components/format'
import { decodePreview, imageTypeOf } from './decode-preview'
import { ItemPanel } from '../../components/item-panel'

export type StorageEntry = z.infer<typeof StorageEntryView>

const TEXT_PREVIEW_BYTES = 256 * 1024
const IMAGE_PREVIEW_BYTES = 8 * 1024 * 1024

/** The selected file: its first bytes as text, image or hex, and a delete that asks first. */
export function FilePreview({ alias, entry, onDeleted }: { alias: string; entry: StorageEntry; onDeleted: () => void }) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const maxBytes = imageTypeOf(entry.name) ? IMAGE_PREVIEW_BYTES : TEXT_PREVIEW_BYTES
  const content = useApiQuery('storage.read', { alias, name: entry.name, maxBytes })
  const preview = content.data && !(imageTypeOf(entry.name) && content.data.truncated) ? decodePreview(entry.name, content.data.contentBase64) : null
  const remove = async () => {
    await client.call('storage.delete', { alias, name: entry.name })
    await queryClient.invalidateQueries({ queryKey: ['storage.list'] })
    onDeleted()
  }
  return (
    <ItemPanel
      label="File preview"
      name={entry.name.split('/').pop()}
      meta={
        <>
          <Code fz={10}>{entry.name}</Code>
          {entry.size !== undefined && ` · ${formatBytes(entry.size)}`}
          {entry.modified && ` · ${new Date(entry.modified).toLocaleString()}`}
        </>
      }
      actions={
        <ConfirmButton
          leftSection={<IconTrash size={14} />}
          title={`Delete “${entry.name}”?`}
          message={`The file is removed from storage alias “${alias}”. This cannot be undone.`}
          confirmLabel="Delete file"
          onConfirm={remove}
        >
          Delete
        </ConfirmButton>
      }
    >
      {content.isPending && (
        <Center py="md">
          <Loader size="sm" aria-label="Reading the file" />
        </Center>
      )}
      {content.isError && <ErrorAlert error={content.error} title="Could not read the file" />}
      {content.data && !preview && <Text c="dimmed">Too large to preview here ({formatBytes(content.data.size)}).</Text>}
      {preview?.kind === 'image' && <Image src={preview.src} alt={entry.name} mah={420} fit="contain" />}
      {preview?.kind === 'text' && <CodeBlock label="File content">{preview.text || '(empty file)'}</CodeBlock>}
      {preview?.kind === 'binary' && <CodeBlock label="File content (hex)">{preview.hex}</CodeBlock>}
      {content.data?.truncated && preview?.kind !== 'image' && (
        <Text size="xs" c="dimmed" mt={4}>
          The first {formatBytes(maxBytes)} of {formatBytes(content.data.size)}.
        </Text>
      )}
    </ItemPanel>
  )
}
