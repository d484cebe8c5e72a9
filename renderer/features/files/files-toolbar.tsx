import { ActionIcon, Button, Group, Kbd, Menu, SegmentedControl, Select, TextInput, Tooltip } from '@mantine/core'
import { IconCheck, IconFolderPlus, IconLayoutGrid, IconList, IconRefresh, IconSearch, IconUpload } from '@tabler/icons-react'
import type { KeyboardEvent, RefObject } from 'react'
import type { SortKey } from './entry-order'
import { ShortcutsHelp } from './shortcuts-help'
import type { Conflict } from './types'
import { MAX_FILTER } from './use-folder-listing'

export type ViewMode = 'list' | 'grid'

interface FilesToolbarProps {
  filterInput: RefObject<HTMLInputElement | null>
  filter: string
  onFilter: (filter: string) => void
  onFilterKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void
  view: ViewMode
  onView: (view: ViewMode) => void
  sortKey: SortKey
  onSortKey: (key: SortKey) => void
  conflict: Conflict
  onConflict: (conflict: Conflict) => void
  onUploadFiles: () => void
  onUploadFolder: () => void
  onNewFolder: () => void
  onRefresh: () => void
}

const CONFLICT_LABELS: Record<Conflict, string> = { rename: 'Keep both (a new name)', overwrite: 'Replace the old file', fail: 'Refuse the upload' }

/** Above the listing: upload, new folder, filter, sort and view. */
export function FilesToolbar(props: FilesToolbarProps) {
  const { filterInput, filter, onFilter, onFilterKeyDown, view, onView, sortKey, onSortKey, conflict, onConflict } = props
  return (
    <Group gap="xs" wrap="wrap" justify="space-between">
      <Group gap="xs" wrap="nowrap">
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button size="compact-sm" leftSection={<IconUpload size={14} />}>
              Upload
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={props.onUploadFiles}>Files…</Menu.Item>
            <Menu.Item onClick={props.onUploadFolder}>A folder…</Menu.Item>
            <Menu.Divider />
            <Menu.Label>When a name is taken</Menu.Label>
            {(Object.keys(CONFLICT_LABELS) as Conflict[]).map((value) => (
              <Menu.Item key={value} closeMenuOnClick={false} onClick={() => onConflict(value)} leftSection={conflict === value ? <IconCheck size={12} /> : <span style={{ width: 12 }} />} aria-checked={conflict === value} role="menuitemradio">
                {CONFLICT_LABELS[value]}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Button size="compact-sm" variant="default" leftSection={<IconFolderPlus size={14} />} onClick={props.onNewFolder}>
          New folder
        </Button>
        <Tooltip label="Refresh">
          <ActionIcon variant="default" aria-label="Refresh" onClick={props.onRefresh}>
            <IconRefresh size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Group gap="xs" wrap="nowrap">
        <TextInput
          ref={filterInput}
          size="xs"
          w={200}
          placeholder="Filter by name"
          aria-label="Filter by name"
          maxLength={MAX_FILTER}
          leftSection={<IconSearch size={12} />}
          rightSection={<Kbd size="xs">/</Kbd>}
          value={filter}
          onChange={(event) => onFilter(event.currentTarget.value)}
          onKeyDown={onFilterKeyDown}
        />
        {view === 'grid' && (
          <Select
            size="xs"
            w={130}
            aria-label="Sort by"
            data={[
              { value: 'name', label: 'Sort by name' },
              { value: 'size', label: 'Sort by size' },
              { value: 'modified', label: 'Sort by date' },
            ]}
            value={sortKey}
            onChange={(value) => value && onSortKey(value as SortKey)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <SegmentedControl
          size="xs"
          aria-label="View"
          value={view}
          onChange={(value) => onView(value as ViewMode)}
          data={[
            { value: 'list', label: <IconList size={14} aria-label="List view" /> },
            { value: 'grid', label: <IconLayoutGrid size={14} aria-label="Grid view" /> },
          ]}
        />
        <ShortcutsHelp />
      </Group>
    </Group>
  )
}
