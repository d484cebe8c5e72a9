/** The few BrowserWindow methods bringing a window forward needs (a fake in tests). */
export interface ForegroundWindow {
  isDestroyed(): boolean
  isMinimized(): boolean
  isVisible(): boolean
  restore(): void
  show(): void
  focus(): void
}

/**
 * A second launch, a click on the tray or on a notification: the one window comes forward, restored
 * if minimized and shown if it was hidden in the tray. Returns false when there is no live window, so
 * the caller makes one.
 */
export function bringForward(window: ForegroundWindow | undefined): boolean {
  if (!window || window.isDestroyed()) return false
  if (window.isMinimized()) window.restore()
  if (!window.isVisible()) window.show()
  window.focus()
  return true
}

/** Whether this launch asks to stay in the tray: the preference, or `--hidden` from the login item. */
export function startsHidden(argv: readonly string[], preference: boolean): boolean {
  return preference || argv.includes('--hidden')
}
