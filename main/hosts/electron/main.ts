import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app as electronApp, BrowserWindow, dialog, session, shell, Notification } from 'electron'
import { App } from '../../api/app'
import { createLogger } from '../../core/log'
import { logUnhandledRejections } from '../../core/process-guards'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol'
import { mountIpc } from './ipc'
import { installMenu } from './menu'
import { safeStorageCipher } from './safe-storage-cipher'
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
  electronApp.on('second-instance', () => {
    if (!window) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  lockDownContents()
  electronApp.whenReady().then(start, (err: unknown) => {
    log.error(`startup failed: ${String(err)}`)
    electronApp.exit(1)
  })

  async function start(): Promise<void> {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
    const outDir = join(dirname(fileURLToPath(import.meta.url)), '..')
    const backplane = await App.open({
      host: 'electron',
      dataDir: electronApp.getPath('userData'),
      hostCipher: safeStorageCipher(),
      background: true,
      log,
      // The renderer may ask for this dialog (engines.requestTrust) but only the person at the computer answers it.
      trustPrompt: createTrustPrompt((options) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))),
    })
    serveRenderer(join(outDir, 'renderer'), backplane.outbox)
    mountIpc(backplane)
    installMenu(backplane.events)
    backplane.events.on('outbox.received', (payload) => {
      if (backplane.outboxSettings().notify) notifyNewMail(payload)
    })
    window = createWindow(join(outDir, 'preload', 'preload.cjs'), backplane.dataDir)
    electronApp.on('window-all-closed', () => {
      if (process.platform !== 'darwin') electronApp.quit()
    })
    electronApp.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) window = createWindow(join(outDir, 'preload', 'preload.cjs'), backplane.dataDir)
    })
    electronApp.on('will-quit', (event) => {
      event.preventDefault()
      void backplane.close().finally(() => electronApp.exit(0))
    })
  }
}

function createWindow(preload: string, dataDir: string): BrowserWindow {
  const state = loadWindowState(dataDir)
  const window = new BrowserWindow({
    ...state,
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
  window.once('ready-to-show', () => window.show())
  void window.loadURL(`${APP_ORIGIN}/index.html`)
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

function notifyNewMail(payload: unknown): void {
  const message = payload as { subject?: string; from?: string }
  if (!Notification.isSupported()) return
  new Notification({ title: message.subject || '(no subject)', body: message.from ? `From ${message.from}` : 'New mail in the outbox' }).show()
}
