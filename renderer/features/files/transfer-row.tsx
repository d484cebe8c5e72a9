import { ActionIcon, Badge, Group, Progress, Stack, Text, Tooltip } from '@mantine/core'
import { IconArrowsExchange, IconCopy, IconDownload, IconFileZip, IconUpload, IconX } from '@tabler/icons-react'
import { countOf } from '../../../main/api/contract'
import { formatBytes, formatSeconds } from '../../components/format'
import { HostKeyPrompt } from '../../components/host-key-prompt'
import { isFinished } from './transfer-list'
import type { Transfer } from './types'

const KIND_ICONS = { upload: IconUpload, download: IconDownload, copy: IconCopy, move: IconArrowsExchange, zip: IconFileZip } as const
const STATE_COLORS: Record<Transfer['state'], string> = { queued: 'gray', running: 'indigo', done: 'teal', failed: 'red', cancelled: 'gray' }

function progressLine(transfer: Transfer): string {
  const parts: string[] = []
  parts.push(transfer.bytesTotal === null ? formatBytes(transfer.bytesDone) : `${formatBytes(transfer.bytesDone)} of ${formatBytes(transfer.bytesTotal)}`)
  if (transfer.filesTotal !== null && transfer.filesTotal > 1) parts.push(`${transfer.filesDone.toLocaleString('en')} of ${countOf(transfer.filesTotal, 'file')}`)
  if (transfer.state === 'running' && transfer.bytesPerSecond > 0) parts.push(`${formatBytes(transfer.bytesPerSecond)}/s`)
  if (transfer.state === 'running' && transfer.secondsLeft !== null) parts.push(`${formatSeconds(transfer.secondsLeft)} left`)
  return parts.join(' · ')
}

/** One transfer: what goes where, a progress bar, speed and time left, and Cancel while it runs. */
export function TransferRow({ transfer, onCancel }: { transfer: Transfer; onCancel: (id: string) => void }) {
  const Icon = KIND_ICONS[transfer.kind]
  const percent = transfer.bytesTotal ? Math.min(100, (transfer.bytesDone / transfer.bytesTotal) * 100) : transfer.state === 'done' ? 100 : 0
  const renamed = transfer.state === 'done' && transfer.resultName && transfer.to && transfer.resultName !== transfer.to.name
  return (
    <Stack gap={2} py={4} aria-label={transfer.label} role="listitem" data-state={transfer.state}>
      <Group gap={6} wrap="nowrap">
        <Icon size={14} aria-hidden />
        <Text size="xs" ff="monospace" truncate style={{ flex: 1 }} title={transfer.label}>
          {transfer.label}
        </Text>
        <Badge size="xs" color={STATE_COLORS[transfer.state]} variant="light">
          {transfer.state}
        </Badge>
        {!isFinished(transfer) && (
          <Tooltip label="Cancel">
            <ActionIcon size="xs" variant="subtle" color="red" aria-label={`Cancel ${transfer.label}`} onClick={() => onCancel(transfer.id)}>
              <IconX size={12} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      {!isFinished(transfer) && (
        <Progress value={transfer.bytesTotal === null ? 100 : percent} striped={transfer.bytesTotal === null} animated={transfer.state === 'running'} size="sm" aria-label={`Progress of ${transfer.label}`} />
      )}
      <Text size="xs" c="dimmed" truncate>
        {progressLine(transfer)}
        {transfer.current && transfer.state === 'running' ? ` · ${transfer.current}` : ''}
      </Text>
      {renamed && (
        <Text size="xs" c="yellow.7">
          The name was taken; stored as {transfer.resultName}
        </Text>
      )}
      {transfer.error && (
        <Text size="xs" c="red" role="alert">
          {transfer.error.message} {transfer.error.hint && <Text span c="dimmed" size="xs">{transfer.error.hint}</Text>}
        </Text>
      )}
      {transfer.error && <HostKeyPrompt error={transfer.error} />}
    </Stack>
  )
}
