import { ActionIcon, Popover, Tooltip } from '@mantine/core'
import { IconKeyboard } from '@tabler/icons-react'
import { MOD_KEY_LABEL } from '../../components/mod-key'
import { ShortcutsTable } from '../../components/shortcuts-table'

const SHORTCUTS: [string, string][] = [
  ['↑ ↓ (← → in the grid)', 'Move; with Shift, extend the selection'],
  ['Home / End, Page Up / Down', 'Jump'],
  ['Click, Shift-click, ' + `${MOD_KEY_LABEL}-click`, 'Select one, a range, or add one'],
  [`${MOD_KEY_LABEL}+A`, 'Select everything loaded'],
  ['Enter (or double-click)', 'Open a folder, preview a file'],
  ['Backspace or Alt+↑', 'Up one folder'],
  ['F2', 'Rename'],
  ['Delete', 'Delete, after asking'],
  ['Shift+F10 or right-click', 'All actions'],
  ['Drag onto a folder or breadcrumb', 'Move there; with Alt or Ctrl, copy'],
  ['/', 'Filter by name'],
  ['Esc', 'Clear the selection'],
]

/** The file browser's keys, one click away. */
export function ShortcutsHelp() {
  return (
    <Popover position="bottom-end" withinPortal shadow="md">
      <Popover.Target>
        <Tooltip label="Keyboard shortcuts">
          <ActionIcon variant="default" aria-label="Keyboard shortcuts">
            <IconKeyboard size={14} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <ShortcutsTable shortcuts={SHORTCUTS} label="Keyboard shortcuts" />
      </Popover.Dropdown>
    </Popover>
  )
}
