import { Button, Drawer, Group, Table, Text } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useState } from 'react'
import { KIND_TITLES, type AliasView, type EngineView, type Kind, type SettingsIssue } from '../../../main/api/contract'
import { useApiClient } from '../../api/hooks'
import { EmptyMessage } from '../../components/empty-message'
import { AliasEditor } from './alias-editor'
import { AliasNameDialog } from './alias-name-dialog'
import { AliasRow } from './alias-row'
import { countOf } from '../../../main/api/contract'

interface KindAliasesPanelProps {
  kind: Kind
  aliases: readonly AliasView[]
  engines: readonly EngineView[]
  issues: readonly SettingsIssue[]
}

type Editing = { alias: AliasView | null } | null

/** The aliases of one kind, with add, edit (and rename), duplicate and delete. */
export function KindAliasesPanel({ kind, aliases, engines, issues }: KindAliasesPanelProps) {
  const client = useApiClient()
  const [editing, setEditing] = useState<Editing>(null)
  const [duplicating, setDuplicating] = useState<AliasView | null>(null)
  const names = aliases.map((alias) => alias.name)
  const kindTitle = KIND_TITLES[kind]
  const issuesOf = (name: string | undefined) => issues.filter((issue) => issue.kind === kind && issue.alias === name)

  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed">
          {countOf(aliases.length, 'alias')}
        </Text>
        <Button leftSection={<IconPlus size={14} />} onClick={() => setEditing({ alias: null })}>
          Add {kindTitle.toLowerCase()} alias
        </Button>
      </Group>
      {aliases.length === 0 ? (
        <EmptyMessage title={`No ${kindTitle.toLowerCase()} alias`}>Add one to use an engine of this kind; code and the other screens refer to it by name.</EmptyMessage>
      ) : (
        <Table aria-label={`${kindTitle} aliases`} verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Engine</Table.Th>
              <Table.Th w={110}>Settings</Table.Th>
              <Table.Th>Secrets</Table.Th>
              <Table.Th>Problems</Table.Th>
              <Table.Th w={110} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {aliases.map((alias) => (
              <AliasRow
                key={alias.name}
                alias={alias}
                issues={issuesOf(alias.name)}
                onEdit={() => setEditing({ alias })}
                onDuplicate={() => setDuplicating(alias)}
                onDelete={() => client.call('settings.deleteAlias', { kind, name: alias.name })}
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Drawer
        opened={editing !== null}
        onClose={() => setEditing(null)}
        position="right"
        size={560}
        title={editing?.alias ? `Edit ${kindTitle.toLowerCase()} alias “${editing.alias.name}”` : `New ${kindTitle.toLowerCase()} alias`}
        closeButtonProps={{ 'aria-label': 'Close the editor' }}
      >
        {editing && (
          <AliasEditor
            key={editing.alias?.name ?? '\u0000new'}
            kind={kind}
            alias={editing.alias}
            engines={engines}
            takenNames={names.filter((name) => name !== editing.alias?.name)}
            issues={issuesOf(editing.alias?.name)}
            onDone={() => setEditing(null)}
          />
        )}
      </Drawer>
      {duplicating && (
        <AliasNameDialog
          title={`Duplicate “${duplicating.name}”`}
          confirmLabel="Duplicate"
          initialName={`${duplicating.name}_copy`}
          takenNames={names}
          onClose={() => setDuplicating(null)}
          onSubmit={(to) => client.call('settings.duplicateAlias', { kind, from: duplicating.name, to })}
        />
      )}
    </>
  )
}
