import { ActionIcon, Badge, Button, Group, Kbd, Menu, Tooltip } from '@mantine/core'
import { IconChevronDown, IconDeviceFloppy, IconLayoutSidebarRight, IconLayoutSidebarRightCollapse, IconListTree, IconPlayerPlay, IconPlayerStop, IconPlayerTrackNext } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { MOD_KEY_LABEL } from '../../../components/mod-key'

interface ConsoleToolbarProps {
  running: boolean
  canCancel: boolean
  empty: boolean
  savedName: string | null
  sideOpen: boolean
  onRunCurrent: () => void
  onRunAll: () => void
  onExplain: () => void
  onCancel: () => void
  onSave: () => void
  onSaveAs: () => void
  onToggleSide: () => void
}

function Shortcut({ keys }: { keys: string[] }): ReactNode {
  return keys.map((key, i) => (
    <span key={key}>
      {i > 0 && ' + '}
      <Kbd size="xs">{key}</Kbd>
    </span>
  ))
}

/** Run (the selection or the statement under the cursor), Run all, Explain, Cancel; Save; the history panel. */
export function ConsoleToolbar(props: ConsoleToolbarProps) {
  const { running, canCancel, empty, savedName, sideOpen } = props
  return (
    <Group justify="space-between" gap="xs">
      <Group gap="xs">
        <Tooltip label={<>Runs the selection, or the statement under the cursor: <Shortcut keys={[MOD_KEY_LABEL, 'Enter']} /></>} withArrow>
          <Button size="xs" leftSection={<IconPlayerPlay size={14} />} onClick={props.onRunCurrent} disabled={running || empty}>
            Run
          </Button>
        </Tooltip>
        <Tooltip label={<>Runs every statement in order: <Shortcut keys={['Shift', MOD_KEY_LABEL, 'Enter']} /></>} withArrow>
          <Button size="xs" variant="light" leftSection={<IconPlayerTrackNext size={14} />} onClick={props.onRunAll} disabled={running || empty}>
            Run all
          </Button>
        </Tooltip>
        <Tooltip label="The server's plan for the statement under the cursor" withArrow>
          <Button size="xs" variant="default" leftSection={<IconListTree size={14} />} onClick={props.onExplain} disabled={running || empty}>
            Explain
          </Button>
        </Tooltip>
        {running && canCancel && (
          <Tooltip label={<>Stops the query at the server: <Kbd size="xs">Esc</Kbd></>} withArrow>
            <Button size="xs" color="red" leftSection={<IconPlayerStop size={14} />} onClick={props.onCancel}>
              Cancel
            </Button>
          </Tooltip>
        )}
      </Group>
      <Group gap="xs">
        {savedName && (
          <Badge variant="light" tt="none" maw={260} title={`The editor holds “${savedName}”; Save writes it`}>
            {savedName}
          </Badge>
        )}
        <Button.Group>
          <Tooltip label={<>{savedName ? `Saves “${savedName}”` : 'Saves the SQL under a name'}: <Shortcut keys={[MOD_KEY_LABEL, 'S']} /></>} withArrow>
            <Button size="xs" variant="default" leftSection={<IconDeviceFloppy size={14} />} onClick={props.onSave} disabled={empty}>
              Save
            </Button>
          </Tooltip>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="xs" variant="default" px={6} aria-label="More ways to save" disabled={empty}>
                <IconChevronDown size={14} />
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={props.onSaveAs}>Save as a new query…</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Button.Group>
        <Tooltip label={sideOpen ? 'Hide history and saved queries' : 'Show history and saved queries'} withArrow>
          <ActionIcon variant="default" size="md" onClick={props.onToggleSide} aria-label={sideOpen ? 'Hide history and saved queries' : 'Show history and saved queries'} aria-pressed={sideOpen}>
            {sideOpen ? <IconLayoutSidebarRightCollapse size={16} /> : <IconLayoutSidebarRight size={16} />}
          </ActionIcon>
        </Tooltip>
      </Group>
    </Group>
  )
}
