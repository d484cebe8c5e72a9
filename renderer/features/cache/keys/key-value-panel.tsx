import { Alert, Button, Code, Group, Loader, Stack, Text } from '@mantine/core'
import { IconAlertTriangle, IconPencil, IconRefresh, IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import { ErrorAlert } from '../../../components/error-alert'
import { formatBytes } from '../../../components/format'
import { ItemPanel } from '../../../components/item-panel'
import { CollectionItems } from './collection-items'
import { EditValueForm } from './edit-value-form'
import { EntryTypeBadge } from './entry-type-badge'
import { IncrementControl } from './increment-control'
import type { KeyTarget } from './key-lookup'
import { hasOpaque } from './readable-value'
import { formatTtl, ttlLeft, useNow } from './ttl-text'
import { useKeyDetail } from './use-key-detail'
import { ValueView } from './value-view'

interface KeyValuePanelProps {
  alias: string
  target: KeyTarget
  onDelete: (target: KeyTarget) => void
}

/** The opened key: what it holds (decoded beside its bytes, or a collection's items), its TTL, and what can be done to it. */
export function KeyValuePanel({ alias, target, onDelete }: KeyValuePanelProps) {
  const detail = useKeyDetail(alias, target)
  const [editing, setEditing] = useState(false)
  const now = useNow()
  const found = detail.state === 'found' ? detail.detail : undefined
  const isEntry = found !== undefined && (found.type === undefined || found.type === 'entry')
  const opaque = found !== undefined && (found.opaque === true || hasOpaque(found.value))
  const userKey = found?.userKey ?? target.userKey
  const version = found?.version ?? target.version
  const ttl = found?.ttl === undefined || detail.state !== 'found' ? undefined : ttlLeft(found.ttl, detail.readAt, now)
  const editable = isEntry && !opaque && userKey !== undefined
  const isInteger = isEntry && (found.encoding === 'int' || (typeof found.value === 'number' && Number.isInteger(found.value)))

  return (
    <ItemPanel
      label="Selected key"
      name={userKey ?? target.key}
      meta={
        <Group gap={6} component="span">
          {target.key !== undefined && (
            <span>
              stored as <Code fz={10}>{target.key}</Code>
            </span>
          )}
          {version !== undefined && <span>· version {version}</span>}
          {found?.type && <EntryTypeBadge type={found.type} />}
          {ttl !== undefined && <span aria-label="TTL">· TTL {found?.ttlUnknown ? 'unknown (the server does not tell)' : formatTtl(ttl)}</span>}
          {found?.size !== undefined && <span>· {formatBytes(found.size)}</span>}
        </Group>
      }
      actions={
        <Group gap="xs" wrap="nowrap">
          {editable && !editing && (
            <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
          )}
          <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} />} onClick={() => onDelete(target)}>
            Delete
          </Button>
        </Group>
      }
    >
      {detail.state === 'loading' && <Loader size="sm" aria-label="Reading the value" />}
      {detail.state === 'error' && (
        <ErrorAlert
          error={detail.error}
          title="Could not read the value"
          actions={
            <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={detail.retry}>
              Retry
            </Button>
          }
        />
      )}
      {detail.state === 'missing' && (
        <Text size="sm" c="dimmed">
          Not found: it expired or was deleted since the list was read.
        </Text>
      )}
      {found && (
        <Stack gap="sm">
          {found.problem && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} p="xs" title="This entry cannot be read">
              <Text size="sm">{found.problem.message}</Text>
              {found.problem.hint && (
                <Text size="sm" c="dimmed">
                  {found.problem.hint}
                </Text>
              )}
            </Alert>
          )}
          {opaque && (
            <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={16} />} p="xs">
              <Text size="sm">Python object — shown, not executed; cannot be edited.</Text>
            </Alert>
          )}
          {editing && editable ? (
            <EditValueForm alias={alias} userKey={userKey} version={version} value={found.value} ttl={ttl} onDone={() => setEditing(false)} />
          ) : isEntry ? (
            <ValueView key={JSON.stringify(found.value)?.slice(0, 200)} value={found.value} raw={found.raw} rawTruncated={found.rawTruncated} encoding={found.encoding} />
          ) : (
            <CollectionItems type={found.type ?? 'other'} items={found.items ?? []} itemCount={found.itemCount} />
          )}
          {isInteger && !editing && userKey !== undefined && <IncrementControl alias={alias} userKey={userKey} version={version} />}
          {isEntry && userKey === undefined && (
            <Text size="xs" c="dimmed">
              This key was not written with this alias's prefix, so it can be read and deleted here but not written.
            </Text>
          )}
        </Stack>
      )}
    </ItemPanel>
  )
}
