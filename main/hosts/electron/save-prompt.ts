import type { SavePrompt } from '../../api/app'

/** The part of Electron's dialog.showSaveDialog this needs, so the options can be tested without Electron. */
export type ShowSaveDialog = (options: {
  title: string
  defaultPath: string
  buttonLabel: string
  filters: { name: string; extensions: string[] }[]
  properties: ['createDirectory', 'showOverwriteConfirmation']
}) => Promise<{ canceled: boolean; filePath?: string }>

/**
 * Where an export goes, asked in the main process's own save dialog: the renderer may start an export,
 * but only the person at the computer picks the file it writes (the renderer never names a path).
 */
export function createSavePrompt(show: ShowSaveDialog, downloads: () => string): SavePrompt {
  return async ({ suggestedName, format }) => {
    const { canceled, filePath } = await show({
      title: 'Export rows',
      defaultPath: `${downloads()}/${suggestedName.replace(/[/\\]/g, '_')}`,
      buttonLabel: 'Export',
      filters: format === 'csv' ? [{ name: 'CSV', extensions: ['csv'] }] : [{ name: 'JSON lines', extensions: ['jsonl', 'ndjson'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    })
    return canceled || !filePath ? undefined : filePath
  }
}
