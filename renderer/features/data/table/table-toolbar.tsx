import { ActionIcon, Badge, Button, Divider, Group, Menu, Text, Title, Tooltip } from '@mantine/core'
import { IconArrowBackUp, IconChevronDown, IconCopy, IconEye, IconFileImport, IconGitCommit, IconPlus, IconRefresh, IconTable, IconTrash, IconX } from '@tabler/icons-react'
import { MOD_KEY_LABEL } from '../../../components/mod-key'
import { ExportMenu } from '../export/export-menu'
import { ShortcutsHelp } from './shortcuts-help'
import type { CopyFormat } from './copy-rows'
import type { TableRef, TableSummary } from './table-ref'

interface TableToolbarProps {
  alias: string
  table: TableSummary
  tableRef: TableRef
  model?: string | undefined
  readOnly: boolean
  pending: number
  canUndo: boolean
  selectedCount: number
  refreshing: boolean
  onRefresh: () => void
  onAddRow: () => void
  onDelete: () => void
  onUndo: () => void
  onDiscard: () => void
  onReview: () => void
  onCopy: (format: Exclude<CopyFormat, 'tsv'>) => void
  onImport: () => void
}

export function TableToolbar(props: TableToolbarProps) {
  const { table, model, readOnly, pending, canUndo, selectedCount } = props
  return (
    <Group justify="space-between" gap="xs" wrap="wrap">
      {/* A long name gives way (cut, whole in its title) before the buttons wrap under it. */}
      <Group gap={8} wrap="nowrap" miw={0} style={{ flex: '1 1 200px' }}>
        {table.type === 'view' ? <IconEye size={16} style={{ flex: 'none' }} /> : <IconTable size={16} style={{ flex: 'none' }} />}
        <Title order={2} size="h5" ff="monospace" title={`${table.schema ? `${table.schema}.` : ''}${table.name}`} style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}>
          {table.schema ? `${table.schema}.` : ''}
          {table.name}
        </Title>
        {model && (
          <Badge size="sm" variant="light" color="green" tt="none" title="Django model" style={{ flex: 'none' }}>
            {model}
          </Badge>
        )}
        <Tooltip label="Load the rows again (pending edits stay)">
          <ActionIcon variant="subtle" color="gray" aria-label="Reload the rows" onClick={props.onRefresh} loading={props.refreshing}>
            <IconRefresh size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Group gap={6} wrap="wrap">
        {!readOnly && (
          <>
            <Button size="compact-sm" variant="default" leftSection={<IconPlus size={14} />} onClick={props.onAddRow}>
              Add row
            </Button>
            <Tooltip label={selectedCount > 1 ? `Delete the ${selectedCount} selected rows (Delete)` : 'Delete the selected row (Delete)'}>
              <Button size="compact-sm" variant="default" leftSection={<IconTrash size={14} />} onClick={props.onDelete} disabled={selectedCount === 0}>
                Delete
              </Button>
            </Tooltip>
            <Tooltip label={`Undo the last edit (${MOD_KEY_LABEL}+Z)`}>
              <ActionIcon variant="default" size="md" aria-label="Undo" onClick={props.onUndo} disabled={!canUndo}>
                <IconArrowBackUp size={14} />
              </ActionIcon>
            </Tooltip>
            {pending > 0 && (
              <>
                <Tooltip label="Forget every pending change">
                  <Button size="compact-sm" variant="subtle" color="red" leftSection={<IconX size={14} />} onClick={props.onDiscard}>
                    Discard all
                  </Button>
                </Tooltip>
                <Button size="compact-sm" leftSection={<IconGitCommit size={14} />} onClick={props.onReview}>
                  Review &amp; commit
                  <Text span size="xs" ml={6} fw={700}>
                    {pending}
                  </Text>
                </Button>
              </>
            )}
            <Divider orientation="vertical" />
          </>
        )}
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="compact-sm" variant="default" leftSection={<IconCopy size={14} />} rightSection={<IconChevronDown size={12} />} disabled={selectedCount === 0}>
              Copy
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>{selectedCount === 1 ? 'The selected row' : `The ${selectedCount} selected rows`}</Menu.Label>
            <Menu.Item onClick={() => props.onCopy('csv')}>as CSV</Menu.Item>
            <Menu.Item onClick={() => props.onCopy('json')}>as JSON</Menu.Item>
            <Menu.Item onClick={() => props.onCopy('insert')}>as INSERT statements</Menu.Item>
          </Menu.Dropdown>
        </Menu>
        {!readOnly && (
          <Tooltip label="Insert the rows of a CSV file">
            <Button size="compact-sm" variant="default" leftSection={<IconFileImport size={14} />} onClick={props.onImport}>
              Import
            </Button>
          </Tooltip>
        )}
        <ExportMenu alias={props.alias} source={{ table: props.tableRef }} title="The whole table, every row" size="compact-sm" />
        <ShortcutsHelp />
      </Group>
    </Group>
  )
}
