import { join } from 'node:path'
import { app as electronApp, Menu, nativeImage, nativeTheme, Tray, type MenuItemConstructorOptions } from 'electron'
import type { App } from '../../api/app'
import type { OutboxSettingsView } from '../../api/contract'
import { saveDesktopPreferences, type DesktopPreferences } from './desktop-preferences'
import { trayModel, type TrayAction } from './tray-model'

export interface TrayHost {
  backplane: App
  /** assets/png: the tray glyphs at 1x and 2x (tray-light.png, tray-dark.png and their @2x). */
  iconDir: string
  preferences: DesktopPreferences
  /** Shows the window (making one if needed), at a route of the GUI when given. */
  openWindow(route?: string): void
  quit(): void
  /** process.platform unless a test says otherwise: Linux has no login items. */
  platform?: NodeJS.Platform
}

export interface BackplaneTray {
  /** Reads the state again and redraws (events call it; tests may too). */
  update(): void
  destroy(): void
}

/**
 * The tray icon: the capture server's state and the unread count at a glance, and a menu to open the
 * app or the outbox, pause or resume capture, choose how the app starts, and quit. Kept current by the
 * same events the GUI listens to.
 */
export function createTray(host: TrayHost): BackplaneTray {
  const { backplane } = host
  const tray = new Tray(trayIcon(host.iconDir))
  const unread = () => backplane.outbox.counts().reduce((sum, box) => sum + box.unread, 0)

  const act = async (action: TrayAction): Promise<void> => {
    switch (action) {
      case 'open':
        return host.openWindow()
      case 'open-outbox':
        return host.openWindow('/mail')
      case 'toggle-capture':
        return toggleCapture(backplane)
      case 'toggle-start-at-login':
        host.preferences.startAtLogin = !host.preferences.startAtLogin
        electronApp.setLoginItemSettings({ openAtLogin: host.preferences.startAtLogin })
        return saveDesktopPreferences(backplane.dataDir, host.preferences)
      case 'toggle-start-hidden':
        host.preferences.startHidden = !host.preferences.startHidden
        return saveDesktopPreferences(backplane.dataDir, host.preferences)
      case 'quit':
        return host.quit()
    }
  }

  const update = () => {
    if (tray.isDestroyed()) return
    const model = trayModel({ capture: backplane.capture.status(), unread: unread(), ...host.preferences, loginItems: (host.platform ?? process.platform) !== 'linux' })
    tray.setToolTip(model.tooltip)
    if (process.platform === 'darwin') tray.setTitle(model.title)
    const template: MenuItemConstructorOptions[] = model.items.map((item) =>
      item === 'separator'
        ? { type: 'separator' }
        : {
            label: item.label,
            enabled: item.action !== undefined,
            ...(item.checked === undefined ? {} : { type: 'checkbox' as const, checked: item.checked }),
            click: () => {
              if (!item.action) return
              void act(item.action)
                .catch((err: unknown) => backplane.log.error(`Tray: ${item.label} failed: ${(err as Error).message}`))
                .finally(update)
            },
          },
    )
    tray.setContextMenu(Menu.buildFromTemplate(template))
  }

  // Windows and Linux open the app on a click (where the user left it); macOS opens the menu, as its users expect.
  tray.on('click', () => host.openWindow())
  // outbox.changed follows every receipt, read and delete, at most four times a second: a burst of mail
  // redraws the tray a few times, not once per message.
  const unsubscribe = [backplane.events.on('capture.status', update), backplane.events.on('outbox.changed', update)]
  const onTheme = () => {
    if (!tray.isDestroyed()) tray.setImage(trayIcon(host.iconDir))
  }
  nativeTheme.on('updated', onTheme)
  update()
  return {
    update,
    destroy() {
      for (const off of unsubscribe) off()
      nativeTheme.off('updated', onTheme)
      tray.destroy()
    },
  }
}

/**
 * macOS draws a template image in the menu bar's own colour; elsewhere the glyph must contrast with the
 * panel, so the white one goes on dark themes. Electron picks the @2x file on high-density screens.
 */
function trayIcon(iconDir: string): Electron.NativeImage {
  const mac = process.platform === 'darwin'
  const variant = mac || !nativeTheme.shouldUseDarkColors ? 'tray-light' : 'tray-dark'
  const image = nativeImage.createFromPath(join(iconDir, `${variant}.png`))
  if (mac) image.setTemplateImage(true)
  return image
}

/** Pause or resume: the capture server's `enabled` setting, saved as the GUI would save it. */
async function toggleCapture(backplane: App): Promise<void> {
  const ctx = { app: backplane, via: 'ipc' as const }
  const settings = (await backplane.router.dispatch('outbox.settings', {}, ctx)) as OutboxSettingsView
  const running = backplane.capture.status().state === 'running'
  await backplane.router.dispatch('outbox.saveSettings', { settings: { ...settings, smtp: { ...settings.smtp, enabled: !running } } }, ctx)
}
