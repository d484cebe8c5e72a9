import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app as electronApp, BrowserWindow, dialog, session, shell, Notification } from 'electron'
import { App } from '../../api/app'
import { resolveDataDir } from '../../core/data-dir'
import { createLogger } from '../../core/log'
import { logUnhandledRejections } from '../../core/process-guards'
import { serveToken } from '../serve-token-file'
import { startHttpServer, type RunningServer } from '../http/server'
import { announceInstance } from '../running-instance'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol'
import { loadDesktopPreferences } from './desktop-preferences'
import { mountIpc } from './ipc'
import { installMenu } from './menu'
import { safeStorageCipher } from './safe-storage-cipher'
import { bringForward, startsHidden } from './single-instance'
import { createTray, type BackplaneTray } from './tray'
import { createSavePrompt } from './save-prompt'
import { createTrustPrompt } from './trust-prompt'
import { loadWindowState, trackWindowState } from './window-state'

// Electron host: the security baseline of Electron's own checklist, then the same App as serve mode.
const log = createLogger('electron')
logUnhandledRejections(log)
registerAppScheme()

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit()
} else {
  let window: BrowserWindow | undefined
  let tray: BackplaneTray | undefined
  // Set once started: shows the window (making one when it was closed), at a route of the GUI when
  // given; without one, the window stays where the user left it.
  let openWindow: (route?: string) => void = () => undefined
  let quitting = false
  electronApp.on('second-instance', () => openWindow())
  lockDownContents()
  electronApp.whenReady().then(start, (err: unknown) => {
    log.error(`startup failed: ${String(err)}`)
    electronApp.exit(1)
  })

  async function start(): Promise<void> {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
    const outDir = join(dirname(fileURLToPath(import.meta.url)), '..')
    const iconDir = join(outDir, '..', 'assets', 'png')
    const preload = join(outDir, 'preload', 'preload.cjs')
    // The same data directory as the command line (Electron's userData on macOS and Windows anyway),
    // so that `backplane call` and `check` find this app.
    const dataDir = resolveDataDir()
    const backplane = await App.open({
      host: 'electron',
      dataDir,
      hostCipher: safeStorageCipher(),
      background: true,
      log,
      // The renderer may ask for this dialog (engines.requestTrust) but only the person at the computer answers it.
      trustPrompt: createTrustPrompt((options) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))),
      // Likewise the file an export writes: the renderer starts it, the save dialog names the file.
      savePrompt: createSavePrompt((options) => (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options)), () => electronApp.getPath('downloads')),
    })
    serveRenderer(join(outDir, 'renderer'), backplane.outbox, backplane.storageHttp)
    mountIpc(backplane)
    installMenu(backplane.events)
    const api = await listenForCommandLine(backplane)
    const preferences = loadDesktopPreferences(dataDir)

    openWindow = (route) => {
      // A window made now loads the route itself: it would miss an event sent before its page listens.
      if (!bringForward(window)) window = createWindow(preload, dataDir, join(iconDir, 'icon-256.png'), true, route)
      else if (route) backplane.events.emit('ui.navigate', { path: route })
    }
    tray = createTray({
      backplane,
      iconDir,
      preferences,
      openWindow,
      quit: () => electronApp.quit(),
    })
    backplane.events.on('outbox.received', (payload) => {
      if (backplane.outboxSettings().notify) notifyNewMail(payload, join(iconDir, 'icon-256.png'), (id) => openWindow(`/mail?message=${id}`))
    })
    window = createWindow(preload, dataDir, join(iconDir, 'icon-256.png'), !startsHidden(process.argv, preferences.startHidden))
    // Closing the window keeps the app (and its capture server) in the tray; Quit in the tray ends it.
    electronApp.on('window-all-closed', () => {
      if (!tray) electronApp.quit()
    })
    electronApp.on('activate', () => openWindow())
    electronApp.on('will-quit', (event) => {
      event.preventDefault()
      // A second Quit while closing must not close everything twice.
      if (quitting) return
      quitting = true
      tray?.destroy()
      void Promise.allSettled([api.forget(), api.server?.close()])
        .then(() => backplane.close())
        .finally(() => electronApp.exit(0))
    })
  }
}

/**
 * The same loopback API as serve mode, without the GUI's files, announced in instance.json: how
 * `backplane call` and `check` reach this app's in-process engines. Its token is serve mode's, kept in
 * the data directory for its owner only. If it cannot listen the app still runs; the CLI then runs apart.
 */
async function listenForCommandLine(backplane: App): Promise<{ server: RunningServer | undefined; forget: () => Promise<void> }> {
  try {
    const { token } = await serveToken(backplane.dataDir)
    const server = await startHttpServer(backplane, { host: '127.0.0.1', port: 0, token })
    const forget = await announceInstance(backplane.dataDir, { url: server.url, host: 'electron' })
    return { server, forget }
  } catch (err) {
    log.warn(`The command line cannot reach this app: ${(err as Error).message}`)
    return { server: undefined, forget: async () => undefined }
  }
}

function createWindow(preload: string, dataDir: string, icon: string, visible: boolean, route = '/'): BrowserWindow {
  const state = loadWindowState(dataDir)
  const window = new BrowserWindow({
    ...state,
    icon,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Backplane',
    backgroundColor: '#1a1b1e',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  })
  if (state.maximized) window.maximize()
  trackWindowState(window, dataDir)
  if (visible) window.once('ready-to-show', () => window.show())
  void window.loadURL(`${APP_ORIGIN}/index.html#${route}`)
  return window
}

/** Navigation away from the app, new windows, webviews: all refused; http(s) links open in the browser. */
function lockDownContents(): void {
  electronApp.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https?:\/\//i.test(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
}

/** Shown notifications, held until clicked or closed: one only the OS refers to is collected, and its click lost. */
const shownNotifications = new Set<Notification>()

/** A click on the notification opens that very message. */
function notifyNewMail(payload: unknown, icon: string, open: (id: number) => void): void {
  const message = payload as { id: number; subject?: string; from?: string }
  if (!Notification.isSupported()) return
  const notification = new Notification({ title: message.subject || '(no subject)', body: message.from ? `From ${message.from}` : 'New mail in the outbox', icon })
  shownNotifications.add(notification)
  notification.on('click', () => {
    shownNotifications.delete(notification)
    open(message.id)
  })
  notification.on('close', () => shownNotifications.delete(notification))
  notification.show()
}
