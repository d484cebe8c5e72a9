import type { TrustPrompt } from '../../api/app'

/** The part of Electron's dialog.showMessageBox this needs, so the wording and the answer can be tested without Electron. */
export type ShowMessageBox = (options: {
  type: 'warning'
  title: string
  message: string
  detail: string
  buttons: string[]
  defaultId: number
  cancelId: number
  noLink: boolean
}) => Promise<{ response: number }>

const TRUST = 1

/**
 * The desktop app's way to trust a custom engine module: a native dialog of the main process, which the
 * renderer can ask for but never answer. It names the exact file and content; Cancel is the default.
 */
export function createTrustPrompt(show: ShowMessageBox): TrustPrompt {
  return async ({ kind, module }) => {
    const { response } = await show({
      type: 'warning',
      title: 'Trust this engine module?',
      message: `Run ${printable(module.file)} as a ${kind} engine?`,
      detail: [
        'A custom engine runs inside Backplane with your rights: it can read your files and reach your network.',
        'Trust it only if you wrote it or have read it.',
        '',
        `SHA-256 ${module.sha256}`,
        '',
        'If the file changes, Backplane will not run it until you trust it again.',
      ].join('\n'),
      buttons: ['Cancel', 'Trust and run'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    })
    return response === TRUST
  }
}

/** A path as shown in the dialog: control characters and bidi overrides escaped, so a name cannot rewrite the text around it. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- these characters are exactly what is escaped
  return text.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
