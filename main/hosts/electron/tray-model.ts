import type { CaptureStatusView } from '../../api/contract'

/** What the tray shows, worked out without Electron so that it can be tested under plain Node. */
export interface TrayState {
  capture: Pick<CaptureStatusView, 'state' | 'address' | 'error'>
  unread: number
  startAtLogin: boolean
  startHidden: boolean
  /** Whether the OS has login items Electron can set (macOS, Windows; not Linux). */
  loginItems: boolean
}

export type TrayAction = 'open' | 'open-outbox' | 'toggle-capture' | 'toggle-start-at-login' | 'toggle-start-hidden' | 'quit'

export interface TrayItem {
  /** Absent on a line that only informs (disabled). */
  action?: TrayAction
  label: string
  checked?: boolean
}

export interface TrayModel {
  tooltip: string
  /** Beside the icon on macOS's menu bar: the unread count, or nothing. */
  title: string
  /** The light or dark icon is the host's choice; this says whether to mark it as needing attention. */
  attention: boolean
  items: (TrayItem | 'separator')[]
}

export function trayModel(state: TrayState): TrayModel {
  const running = state.capture.state === 'running'
  const captureLine =
    state.capture.state === 'running'
      ? `Capturing mail on ${state.capture.address ?? 'loopback'}`
      : state.capture.state === 'failed'
        ? `Capture failed: ${state.capture.error?.message ?? 'unknown error'}`
        : 'Capture paused'
  const unreadLine = state.unread === 0 ? 'No unread mail' : `${state.unread.toLocaleString('en')} unread message${state.unread === 1 ? '' : 's'}`
  return {
    tooltip: `Backplane — ${captureLine.charAt(0).toLowerCase()}${captureLine.slice(1)}; ${unreadLine.toLowerCase()}`,
    title: state.unread > 0 ? String(state.unread) : '',
    attention: state.unread > 0 || state.capture.state === 'failed',
    items: [
      { action: 'open', label: 'Open Backplane' },
      { action: 'open-outbox', label: state.unread > 0 ? `Open the outbox (${state.unread} unread)` : 'Open the outbox' },
      'separator',
      { label: captureLine },
      { action: 'toggle-capture', label: running ? 'Pause capture' : 'Resume capture' },
      'separator',
      ...(state.loginItems ? [{ action: 'toggle-start-at-login' as const, label: 'Start at login', checked: state.startAtLogin }] : []),
      { action: 'toggle-start-hidden', label: 'Start hidden in the tray', checked: state.startHidden },
      'separator',
      { action: 'quit', label: 'Quit Backplane' },
    ],
  }
}
