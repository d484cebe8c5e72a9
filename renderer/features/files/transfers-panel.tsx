import { ActionIcon, Button, Group, Paper, Text } from '@mantine/core'
import { IconChevronDown, IconChevronUp } from '@tabler/icons-react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef, useState } from 'react'
import { formatBytes } from '../../components/format'
import { ErrorAlert } from '../../components/error-alert'
import { summarizeActive } from './transfer-list'
import { TransferRow } from './transfer-row'
import type { Transfer } from './types'

const ROW_HEIGHT = 62

interface TransfersPanelProps {
  transfers: readonly Transfer[]
  onCancel: (id: string) => void
  onClearFinished: () => void
  error: unknown
}

/** Uploads, downloads, copies, moves and zips, newest first, virtualized (a folder upload is a transfer per file). */
export function TransfersPanel({ transfers, onCancel, onClearFinished, error }: TransfersPanelProps) {
  const [open, setOpen] = useState(true)
  const scroller = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- this app does not use the React Compiler; the virtualizer re-renders on scroll itself
  const virtualizer = useVirtualizer({ count: open ? transfers.length : 0, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 6 })
  if (transfers.length === 0) return null
  const { active, bytesDone, bytesTotal } = summarizeActive(transfers)
  const finished = transfers.length - active
  return (
    <Paper withBorder p="xs" component="section" aria-label="Transfers">
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
          <ActionIcon size="sm" variant="subtle" aria-label={open ? 'Collapse transfers' : 'Expand transfers'} onClick={() => setOpen((o) => !o)}>
            {open ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
          </ActionIcon>
          <Text size="sm" fw={600}>
            Transfers
          </Text>
          <Text size="xs" c="dimmed" aria-label="Transfers summary" truncate>
            {active > 0 ? `${active} running · ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}` : 'all finished'}
          </Text>
        </Group>
        {finished > 0 && (
          <Button size="compact-xs" variant="subtle" onClick={onClearFinished} style={{ flexShrink: 0 }}>
            Clear finished
          </Button>
        )}
      </Group>
      {error !== null && error !== undefined && <ErrorAlert error={error} title="Could not list the server's transfers" />}
      {open && (
        <div ref={scroller} style={{ maxHeight: 300, overflow: 'auto', marginTop: 4 }} role="list" aria-label="Transfer list">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const transfer = transfers[item.index]
              if (!transfer) return null
              return (
                <div key={transfer.id} ref={virtualizer.measureElement} data-index={item.index} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}>
                  <TransferRow transfer={transfer} onCancel={onCancel} />
                </div>
              )
            })}
          </div>
        </div>
      )}
    </Paper>
  )
}
