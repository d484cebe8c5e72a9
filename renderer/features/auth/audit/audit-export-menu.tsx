import { Button, Menu } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconChevronDown, IconDownload } from '@tabler/icons-react'
import { countOf } from '../../../../main/api/contract'
import { ApiError } from '../../../api/api-error'
import { useApiMutation } from '../../../api/hooks'
import { saveTextFile } from '../../../components/save-text-file'
import type { AuditFilter } from './use-audit'

/** The log as filtered, as a CSV or JSON Lines file (the main process makes it; the tab saves it). */
export function AuditExportMenu({ filter, disabled }: { filter: AuditFilter; disabled: boolean }) {
  const exporting = useApiMutation('auth.auditExport', {
    onSuccess: ({ filename, contentType, text, count, truncated }) => {
      saveTextFile(filename, text, contentType)
      notifications.show({
        color: truncated ? 'yellow' : 'teal',
        title: 'Audit log exported',
        message: `${countOf(count, 'entry')} in ${filename}${truncated ? ': the first 100,000 only; narrow the filter for the rest' : ''}.`,
      })
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Export failed', message: [error.message, ApiError.from(error).hint].filter(Boolean).join(' ') }),
  })
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={14} />} rightSection={<IconChevronDown size={12} />} loading={exporting.isPending} disabled={disabled}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => exporting.mutate({ ...filter, format: 'csv' })}>CSV</Menu.Item>
        <Menu.Item onClick={() => exporting.mutate({ ...filter, format: 'jsonl' })}>JSON Lines</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  )
}
