import { Kbd, Menu } from '@mantine/core'
import { IconArrowsExchange, IconCopy, IconDownload, IconEye, IconFileZip, IconFolderOpen, IconFolderPlus, IconLink, IconPencil, IconSelectAll, IconTrash, IconUpload } from '@tabler/icons-react'
import { MOD_KEY_LABEL } from '../../components/mod-key'
import type { StorageEntry } from './types'

export interface EntryActions {
  open: (entry: StorageEntry) => void
  download: (entries: readonly StorageEntry[]) => void
  rename: (entry: StorageEntry) => void
  transfer: (kind: 'copy' | 'move', entries: readonly StorageEntry[]) => void
  remove: (entries: readonly StorageEntry[]) => void
  copyLink: (entry: StorageEntry) => void
  newFolder: () => void
  uploadFiles: () => void
  uploadFolder: () => void
  selectAll: () => void
}

export interface MenuPlace {
  x: number
  y: number
  /** The entries it acts on: the selection under the pointer, or none (the folder's own menu). */
  entries: readonly StorageEntry[]
}

/** Everything the keys and toolbar do, from a right-click or a row's ⋯ button, at the pointer. */
export function EntryMenu({ place, actions, onClose }: { place: MenuPlace | null; actions: EntryActions; onClose: () => void }) {
  const entries = place?.entries ?? []
  const [only] = entries
  const single = entries.length === 1 ? only : undefined
  return (
    <Menu opened={place !== null} onChange={(opened) => !opened && onClose()} position="bottom-start" withinPortal offset={2} trapFocus returnFocus={false}>
      <Menu.Target>
        <div style={{ position: 'fixed', left: place?.x ?? 0, top: place?.y ?? 0, width: 1, height: 1, pointerEvents: 'none' }} aria-hidden />
      </Menu.Target>
      <Menu.Dropdown aria-label={single ? `Actions for ${single.name}` : entries.length ? 'Actions for the selection' : 'Folder actions'}>
        {entries.length === 0 ? (
          <>
            <Menu.Item leftSection={<IconFolderPlus size={14} />} onClick={actions.newFolder}>
              New folder…
            </Menu.Item>
            <Menu.Item leftSection={<IconUpload size={14} />} onClick={actions.uploadFiles}>
              Upload files…
            </Menu.Item>
            <Menu.Item leftSection={<IconUpload size={14} />} onClick={actions.uploadFolder}>
              Upload a folder…
            </Menu.Item>
            <Menu.Item leftSection={<IconSelectAll size={14} />} onClick={actions.selectAll} rightSection={<Kbd size="xs">{MOD_KEY_LABEL}+A</Kbd>}>
              Select all
            </Menu.Item>
          </>
        ) : (
          <>
            {single && (
              <Menu.Item leftSection={single.type === 'dir' ? <IconFolderOpen size={14} /> : <IconEye size={14} />} onClick={() => actions.open(single)} rightSection={<Kbd size="xs">Enter</Kbd>}>
                {single.type === 'dir' ? 'Open' : 'Preview'}
              </Menu.Item>
            )}
            <Menu.Item
              leftSection={single?.type === 'file' ? <IconDownload size={14} /> : <IconFileZip size={14} />}
              onClick={() => actions.download(entries)}
            >
              {single?.type === 'file' ? 'Download' : 'Download as zip'}
            </Menu.Item>
            {single && (
              <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => actions.rename(single)} rightSection={<Kbd size="xs">F2</Kbd>}>
                Rename…
              </Menu.Item>
            )}
            <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => actions.transfer('copy', entries)}>
              Copy to…
            </Menu.Item>
            <Menu.Item leftSection={<IconArrowsExchange size={14} />} onClick={() => actions.transfer('move', entries)}>
              Move to…
            </Menu.Item>
            {single?.type === 'file' && (
              <Menu.Item leftSection={<IconLink size={14} />} onClick={() => actions.copyLink(single)}>
                Copy URL
              </Menu.Item>
            )}
            <Menu.Divider />
            <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => actions.remove(entries)} rightSection={<Kbd size="xs">Del</Kbd>}>
              Delete…
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  )
}
