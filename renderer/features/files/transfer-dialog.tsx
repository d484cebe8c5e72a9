import { Anchor, Breadcrumbs, Button, Group, Loader, Modal, NavLink, ScrollArea, SegmentedControl, Select, Stack, Text } from '@mantine/core'
import { IconFolder } from '@tabler/icons-react'
import { useState } from 'react'
import { countOf } from '../../../main/api/contract'
import { useApiMutation, useApiPagedQuery, useApiQuery, useLoadMore } from '../../api/hooks'
import { ErrorAlert } from '../../components/error-alert'
import { baseName, parentOf } from './entry-names'
import type { Conflict } from './types'

interface TransferDialogProps {
  kind: 'copy' | 'move'
  alias: string
  names: readonly string[]
  /** The folder the names are in now, where the picker starts. */
  folder: string
  onClose: () => void
  onStarted: (id: string) => void
}

const CONFLICTS: { value: Conflict; label: string }[] = [
  { value: 'rename', label: 'Keep both' },
  { value: 'overwrite', label: 'Replace' },
  { value: 'fail', label: 'Stop' },
]

/** The folders of one folder, for the picker: only the first pages of a huge folder, with Load more. */
function FolderChoices({ alias, path, onOpen }: { alias: string; path: string; onOpen: (path: string) => void }) {
  const listing = useApiPagedQuery(
    'storage.list',
    { alias, path },
    { firstPage: null as string | null, inputFor: (cursor) => ({ alias, path, cursor, limit: 1000 }), nextPage: (last) => last.cursor ?? undefined },
  )
  const loadMore = useLoadMore(listing)
  if (listing.isPending) return <Loader size="sm" aria-label="Loading the folders" />
  if (listing.isError) return <ErrorAlert error={listing.error} title={`Could not list “${alias}”`} />
  const folders = listing.data.pages.flatMap((page) => page.entries).filter((entry) => entry.type === 'dir')
  return (
    <ScrollArea.Autosize mah={260} type="auto">
      {folders.length === 0 && (
        <Text size="sm" c="dimmed" p="xs">
          No folders here{listing.hasNextPage ? ' so far' : ''}.
        </Text>
      )}
      {folders.map((folder) => (
        <NavLink key={folder.name} component="button" label={baseName(folder.name)} leftSection={<IconFolder size={14} color="var(--mantine-color-yellow-6)" />} onClick={() => onOpen(folder.name)} ff="monospace" />
      ))}
      {listing.hasNextPage && (
        <Button variant="subtle" size="compact-xs" onClick={loadMore} loading={listing.isFetchingNextPage}>
          Look further
        </Button>
      )}
    </ScrollArea.Autosize>
  )
}

/** Copy or move to a folder, on this alias or another (a local folder to S3): a transfer in the queue, with progress and cancel. */
export function TransferDialog({ kind, alias, names, folder, onClose, onStarted }: TransferDialogProps) {
  const settings = useApiQuery('settings.get', {})
  const aliases = (settings.data?.aliases ?? []).filter((a) => a.kind === 'storage' && a.valid)
  const [target, setTarget] = useState(alias)
  const [path, setPath] = useState(folder)
  const [conflict, setConflict] = useState<Conflict>('rename')
  const start = useApiMutation('storage.startTransfer', { onSuccess: ({ id }) => onStarted(id) })
  const verb = kind === 'copy' ? 'Copy' : 'Move'
  const parts = path ? path.split('/') : []
  // Moving into where they are changes nothing; into themselves, the engine would refuse.
  const sameFolder = target === alias && names.every((name) => parentOf(name) === path)
  const intoItself = target === alias && names.some((name) => path === name || path.startsWith(`${name}/`))
  const what = names.length === 1 ? `“${baseName(names[0] ?? '')}”` : countOf(names.length, 'item')
  return (
    <Modal opened onClose={onClose} title={`${verb} ${what} to…`} size="lg" centered>
      <Stack gap="sm">
        <Select label="Storage alias" data={aliases.map((a) => ({ value: a.name, label: `${a.name} · ${a.engine}` }))} value={target} onChange={(value) => value && (setTarget(value), setPath(''))} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
        <Breadcrumbs aria-label="Target folder" separatorMargin={4}>
          {[{ label: target, path: '' }, ...parts.map((part, index) => ({ label: part, path: parts.slice(0, index + 1).join('/') }))].map((level) => (
            <Anchor key={level.path} component="button" type="button" size="sm" ff="monospace" onClick={() => setPath(level.path)}>
              {level.label}
            </Anchor>
          ))}
        </Breadcrumbs>
        <FolderChoices key={`${target}:${path}`} alias={target} path={path} onOpen={setPath} />
        <Group gap="xs">
          <Text size="sm">When a name is taken there:</Text>
          <SegmentedControl size="xs" data={CONFLICTS} value={conflict} onChange={(value) => setConflict(value as Conflict)} aria-label="When a name is taken" />
        </Group>
        {start.isError && <ErrorAlert error={start.error} title={`Could not start the ${kind}`} />}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Into {target}:/{path}
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              loading={start.isPending}
              disabled={(kind === 'move' && sameFolder) || intoItself}
              onClick={() => start.mutate({ kind, from: { alias, names: [...names] }, to: { alias: target, folder: path }, conflict })}
            >
              {verb} here
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  )
}
