import { Button, Group, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useCallback } from 'react'
import { ErrorCode, type MethodInput } from '../../../../main/api/contract'
import { ApiError } from '../../../api/api-error'
import { useApiClient } from '../../../api/hooks'
import { formatBytes } from '../../../components/format'

type ExportSource = Pick<MethodInput<'data.exportToFile'>, 'table' | 'sql'>

/**
 * The desktop app's export: the main process asks where to save (its own dialog), streams the rows there
 * and reports progress; this shows it in a notification with Cancel, which stops the query at the server
 * and leaves no file.
 */
export function useDesktopExport(alias: string): (format: 'csv' | 'jsonl', source: ExportSource) => void {
  const client = useApiClient()
  return useCallback(
    (format, source) => {
      const queryId = crypto.randomUUID()
      const id = `export-${queryId}`
      const cancel = () => void client.call('data.cancel', { alias, queryId }).catch(() => undefined)
      const shown = (rows: number, bytes: number) => (
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm">
            {rows.toLocaleString('en')} rows · {formatBytes(bytes)}
          </Text>
          <Button size="compact-xs" variant="default" onClick={cancel}>
            Cancel
          </Button>
        </Group>
      )
      let started = false
      const off = client.on('data.exportProgress', (progress) => {
        if (progress.queryId !== queryId) return
        const payload = { id, title: 'Exporting…', message: shown(progress.rows, progress.bytes), loading: true, autoClose: false, withCloseButton: false }
        if (started) notifications.update(payload)
        else notifications.show(payload)
        started = true
      })
      client
        .call('data.exportToFile', { alias, format, queryId, ...source })
        .then((saved) => {
          if (!saved.saved) return
          const done = { id, loading: false, autoClose: 5000, withCloseButton: true, color: 'teal', title: 'Exported', message: `${(saved.rows ?? 0).toLocaleString('en')} rows to ${saved.file}` }
          if (started) notifications.update(done)
          else notifications.show(done)
        })
        .catch((error: unknown) => {
          const apiError = ApiError.from(error)
          const failed = {
            id,
            loading: false,
            autoClose: apiError.code === ErrorCode.E_CANCELLED ? 4000 : false,
            withCloseButton: true,
            color: apiError.code === ErrorCode.E_CANCELLED ? 'gray' : 'red',
            title: apiError.code === ErrorCode.E_CANCELLED ? 'Export cancelled; no file was left' : 'The export failed',
            message: apiError.hint ? `${apiError.message} ${apiError.hint}` : apiError.message,
          }
          if (started) notifications.update(failed)
          else notifications.show(failed)
        })
        .finally(off)
    },
    [alias, client],
  )
}
