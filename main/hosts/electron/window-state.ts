import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { screen, type BrowserWindow, type Rectangle } from 'electron'
import { z } from 'zod'
import { writeFileAtomic } from '../../core/atomic-write'

const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean().default(false),
})
type WindowState = z.infer<typeof WindowState>

const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false }

/** Size, position and maximised state of the main window, remembered across launches. */
export function loadWindowState(dataDir: string): WindowState {
  try {
    const state = WindowState.parse(JSON.parse(readFileSync(join(dataDir, 'window-state.json'), 'utf8')))
    // A window saved on a monitor that is gone now would open out of sight; keep only the size then.
    if (state.x !== undefined && state.y !== undefined && !visible({ x: state.x, y: state.y, width: state.width, height: state.height })) {
      return { width: state.width, height: state.height, maximized: state.maximized }
    }
    return state
  } catch {
    return DEFAULT_STATE
  }
}

export function trackWindowState(window: BrowserWindow, dataDir: string): void {
  let timer: NodeJS.Timeout | undefined
  const save = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (window.isDestroyed()) return
      const bounds = window.getNormalBounds()
      const state: WindowState = { ...bounds, maximized: window.isMaximized() }
      void writeFileAtomic(join(dataDir, 'window-state.json'), JSON.stringify(state), 0o600).catch(() => undefined)
    }, 300)
  }
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', save)
  window.on('close', save)
}

function visible(rect: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea: a }) => rect.x < a.x + a.width && rect.x + rect.width > a.x && rect.y < a.y + a.height && rect.y + rect.height > a.y)
}
