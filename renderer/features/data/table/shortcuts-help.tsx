import { ActionIcon, Tooltip } from '@mantine/core'
import { IconKeyboard } from '@tabler/icons-react'
import { MOD_KEY_LABEL } from '../../../components/mod-key'
import { ShortcutsTable } from '../../../components/shortcuts-table'

const SHORTCUTS: [string, string][] = [
  ['↑ ↓ ← →', 'Move between cells (Shift extends the row selection)'],
  ['Enter / F2', 'Edit the cell (or just start typing)'],
  ['Esc', 'Leave the editor without keeping it'],
  ['Tab', 'Keep the value and edit the next cell'],
  ['Space', 'Inspect the value (JSON, long text, bytes)'],
  [`${MOD_KEY_LABEL}+Z`, 'Undo the last edit'],
  ['Delete', 'Delete the selected rows (pending)'],
  ['Insert', 'Add a row'],
  [`${MOD_KEY_LABEL}+A`, 'Select every loaded row'],
  [`${MOD_KEY_LABEL}+C`, 'Copy the cell, or the selected rows as TSV'],
  [`${MOD_KEY_LABEL}+S`, 'Review and commit'],
  ['Click header', 'Sort ascending, descending, off (Shift+click: by more columns)'],
  ['Double-click edge', 'Fit the column to its content'],
]

export function ShortcutsHelp() {
  return (
    <Tooltip
      multiline
      maw={440}
      label={
        <ShortcutsTable shortcuts={SHORTCUTS} />
      }
    >
      <ActionIcon variant="subtle" color="gray" aria-label="Keyboard shortcuts">
        <IconKeyboard size={16} />
      </ActionIcon>
    </Tooltip>
  )
}
