import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { IconDownload, IconFolderOpen, IconTrash } from '@tabler/icons-react'
import { countOf } from '../../../main/api/contract'
import { formatBytes } from '../../components/format'
import { EntryDetails } from './entry-details'
import { baseName } from './entry-names'
import { FilePreview } from './file-preview'
import type { StorageEntry } from './types'

interface EntryPanelProps {
  alias: string
  /** The selected entries; one gets its details and preview, several a count. */
  entries: readonly StorageEntry[]
  onOpen: (entry: StorageEntry) => void
  onDownload: (entries: readonly StorageEntry[]) => void
  onDelete: (entries: readonly StorageEntry[]) => void
}

/** Beside the listing: the selected file's details and preview, as Finder's preview column. */
export function EntryPanel({ alias, entries, onOpen, onDownload, onDelete }: EntryPanelProps) {
  const [only] = entries
  if (entries.length === 0) return null
  if (entries.length > 1 || !only) {
    const bytes = entries.reduce((sum, entry) => sum + (entry.size ?? 0), 0)
    return (
      <Paper withBorder p="sm" component="section" aria-label="Selection">
        <Text size="sm" fw={600}>
          {countOf(entries.length, 'item')} selected
        </Text>
        <Text size="xs" c="dimmed">
          {formatBytes(bytes)} in the selected files (folders not counted)
        </Text>
        <Group gap={4} mt="xs">
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => onDownload(entries)}>
            Download as zip
          </Button>
          <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} />} onClick={() => onDelete(entries)}>
            Delete
          </Button>
        </Group>
      </Paper>
    )
  }
  return (
    <Paper withBorder p="sm" component="section" aria-label={only.type === 'dir' ? 'Folder details' : 'File preview'}>
      <Stack gap="xs">
        <Title order={3} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {baseName(only.name)}
          {only.type === 'dir' ? '/' : ''}
        </Title>
        <Group gap={4}>
          {only.type === 'dir' && (
            <Button size="xs" variant="default" leftSection={<IconFolderOpen size={14} />} onClick={() => onOpen(only)}>
              Open
            </Button>
          )}
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => onDownload([only])}>
            {only.type === 'dir' ? 'Download as zip' : 'Download'}
          </Button>
          <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} />} onClick={() => onDelete([only])}>
            Delete
          </Button>
        </Group>
        {only.type === 'file' && <FilePreview key={`${only.name}:${only.modified ?? ''}`} alias={alias} entry={only} height={360} onDownload={() => onDownload([only])} />}
        <EntryDetails alias={alias} entry={only} />
      </Stack>
    </Paper>
  )
}
