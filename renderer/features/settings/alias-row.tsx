import { ActionIcon, Anchor, Badge, Code, Group, Table, Text, Tooltip } from '@mantine/core'
import { IconCopy, IconPencil, IconTrash } from '@tabler/icons-react'
import { KIND_TITLES, type AliasView, type SettingsIssue } from '../../../main/api/contract'
import { ConfirmButton } from '../../components/confirm-button'

interface AliasRowProps {
  alias: AliasView
  issues: readonly SettingsIssue[]
  onEdit: () => void
  onDuplicate: () => void
  onDelete: () => Promise<unknown>
}

export function AliasRow({ alias, issues, onEdit, onDuplicate, onDelete }: AliasRowProps) {
  const kindTitle = KIND_TITLES[alias.kind].toLowerCase()
  const secrets = Object.entries(alias.secrets)
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component="button" type="button" ff="monospace" fw={600} fz="sm" onClick={onEdit} aria-label={`Edit ${alias.name}`}>
          {alias.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Code fz="xs">{alias.engine}</Code>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {/* About the settings only: whether the backend answers right now is the Dashboard's health. */}
        <Tooltip
          multiline
          w={260}
          label={
            alias.valid
              ? 'These settings are complete and well-formed. Whether the backend answers right now is shown on the Dashboard.'
              : 'These settings cannot be used as they are: see Problems.'
          }
        >
          <Text size="xs" fw={600} c={alias.valid ? 'teal' : 'red'} tt="uppercase">
            {alias.valid ? 'config ok' : 'config invalid'}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        {secrets.length === 0 ? (
          <Text size="xs" c="dimmed">
            none
          </Text>
        ) : (
          <Group gap={4}>
            {secrets.map(([field, isSet]) => (
              <Badge key={field} color={isSet ? 'teal' : 'gray'} variant="outline" tt="none">
                {field}: {isSet ? 'set' : 'not set'}
              </Badge>
            ))}
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        {issues.map((issue, index) => (
          <Text key={index} size="xs" c={issue.severity === 'error' ? 'red' : 'yellow'}>
            <Code fz={10}>{issue.pointer}</Code> {issue.message}
          </Text>
        ))}
      </Table.Td>
      <Table.Td>
        <Group gap={2} justify="flex-end" wrap="nowrap">
          <Tooltip label="Edit or rename">
            <ActionIcon aria-label={`Edit ${kindTitle} alias ${alias.name}`} onClick={onEdit}>
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Duplicate">
            <ActionIcon aria-label={`Duplicate ${kindTitle} alias ${alias.name}`} onClick={onDuplicate}>
              <IconCopy size={16} />
            </ActionIcon>
          </Tooltip>
          <ConfirmButton
            icon={<IconTrash size={16} />}
            aria-label={`Delete ${kindTitle} alias ${alias.name}`}
            title={`Delete the ${kindTitle} alias “${alias.name}”?`}
            message={`Its settings and stored secrets are deleted. The ${alias.engine} backend's own data is not touched.`}
            confirmLabel={`Delete “${alias.name}”`}
            onConfirm={onDelete}
          >
            Delete
          </ConfirmButton>
        </Group>
      </Table.Td>
    </Table.Tr>
  )
}
