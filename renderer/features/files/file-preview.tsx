import { Button, Center, Image, Loader, Stack, Text } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { useState } from 'react'
import { CodeBlock } from '../../components/code-block'
import { ErrorAlert } from '../../components/error-alert'
import { formatBytes } from '../../components/format'
import { CodeView } from './code-view'
import { baseName } from './entry-names'
import { isPreviewTooLarge, PREVIEW_CAP, previewKindOf } from './preview-kind'
import { sniffBytes } from './sniff-bytes'
import { fileUrl } from './storage-urls'
import type { StorageEntry } from './types'
import { useFileBytes } from './use-file-bytes'

/** An unknown file is judged by this much of its start. */
const SNIFF_BYTES = 64 * 1024

interface FilePreviewProps {
  alias: string
  entry: StorageEntry
  height: number
  onDownload: () => void
}

function TooLarge({ entry, cap, onDownload }: { entry: StorageEntry; cap: number; onDownload: () => void }) {
  return (
    <Stack gap={6} align="flex-start">
      <Text size="sm" c="dimmed">
        {formatBytes(entry.size ?? 0)} is more than a preview shows ({formatBytes(cap)}).
      </Text>
      <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={onDownload}>
        Download
      </Button>
    </Stack>
  )
}

function TextPreview({ url, entry, height, sniff }: { url: string; entry: StorageEntry; height: number; sniff: boolean }) {
  const bytes = useFileBytes(url, `${entry.modified ?? ''}:${entry.etag ?? ''}:${entry.size ?? ''}`, sniff ? { firstBytes: SNIFF_BYTES } : {})
  if (bytes.isPending) return <Loader size="sm" aria-label="Reading the file" />
  if (bytes.isError) return <ErrorAlert error={bytes.error} title="Could not read the file" />
  const sniffed = sniffBytes(bytes.data)
  const cut = sniff && (entry.size ?? 0) > SNIFF_BYTES
  return (
    <Stack gap={4}>
      {sniffed.kind === 'text' ? <CodeView text={sniffed.text} name={entry.name} height={height} /> : <CodeBlock label="File content (hex)" maxHeight={height}>{sniffed.hex}</CodeBlock>}
      {(cut || sniffed.kind === 'binary') && (
        <Text size="xs" c="dimmed">
          {sniffed.kind === 'binary' ? 'A binary file: its first 512 bytes.' : `The first ${formatBytes(SNIFF_BYTES)} of ${formatBytes(entry.size ?? 0)}.`}
        </Text>
      )}
    </Stack>
  )
}

/** A file's preview by kind: images, PDF, audio and video from the inline URL (Range makes seeking work), text highlighted, anything else sniffed. */
export function FilePreview({ alias, entry, height, onDownload }: FilePreviewProps) {
  const kind = previewKindOf(entry.name, entry.contentType)
  const url = fileUrl(alias, entry.name, { inline: true })
  const [mediaFailed, setMediaFailed] = useState(false)
  const label = `Preview of ${baseName(entry.name)}`
  if (isPreviewTooLarge(kind, entry.size)) return <TooLarge entry={entry} cap={PREVIEW_CAP[kind]} onDownload={onDownload} />
  if (mediaFailed) return <Text size="sm" c="dimmed">The browser could not show this file. Download it to open it elsewhere.</Text>
  switch (kind) {
    case 'image':
      return (
        <Center>
          <Image src={url} alt={label} mah={height} fit="contain" w="auto" onError={() => setMediaFailed(true)} />
        </Center>
      )
    case 'pdf':
      return <iframe src={url} title={label} style={{ width: '100%', height, border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }} />
    case 'audio':
      return <audio src={url} controls preload="metadata" aria-label={label} style={{ width: '100%' }} onError={() => setMediaFailed(true)} />
    case 'video':
      return <video src={url} controls preload="metadata" aria-label={label} style={{ width: '100%', maxHeight: height }} onError={() => setMediaFailed(true)} />
    case 'text':
      return <TextPreview url={url} entry={entry} height={height} sniff={false} />
    default:
      return <TextPreview url={url} entry={entry} height={height} sniff />
  }
}
