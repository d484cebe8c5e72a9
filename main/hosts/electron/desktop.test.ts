import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

/**
 * The desktop integration under plain Node: Electron cannot run here, so its modules are faked at the
 * host boundary only (Tray, Menu, nativeImage, nativeTheme, app); the App behind them is the real one,
 * with its real capture server and outbox.
 */
const electron = await vi.hoisted(async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  class FakeTray extends Emitter {
    static last: FakeTray | undefined
    tooltip = ''
    menu: { label?: string; type?: string; checked?: boolean; enabled?: boolean; click?: () => void }[] = []
    image: { path: string }
    destroyed = false
    constructor(image: { path: string }) {
      super()
      this.image = image
      FakeTray.last = this
    }
    setToolTip(text: string) {
      this.tooltip = text
    }
    setTitle() {}
    setContextMenu(menu: FakeTray['menu']) {
      this.menu = menu
    }
    setImage(image: { path: string }) {
      this.image = image
    }
    isDestroyed() {
      return this.destroyed
    }
    destroy() {
      this.destroyed = true
    }
  }
  const nativeTheme = Object.assign(new Emitter(), { shouldUseDarkColors: false })
  return {
    FakeTray,
    nativeTheme,
    loginItems: [] as unknown[],
  }
})

vi.mock('electron', () => ({
  Tray: electron.FakeTray,
  Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => undefined },
  nativeImage: { createFromPath: (path: string) => ({ path, setTemplateImage: () => undefined }) },
  nativeTheme: electron.nativeTheme,
  app: { setLoginItemSettings: (settings: unknown) => electron.loginItems.push(settings) },
  shell: { openExternal: () => Promise.resolve() },
}))

const { App } = await import('../../api/app')
const { createLogger } = await import('../../core/log')
const { EventBus } = await import('../../core/events')
const { createTray } = await import('./tray')
const { menuTemplate } = await import('./menu')
const { bringForward, startsHidden } = await import('./single-instance')

let home: string
let backplane: Awaited<ReturnType<typeof App.open>>

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'backplane-desktop-'))
  backplane = await App.open({ host: 'electron', dataDir: home, background: true, smtpPort: 0, log: createLogger('test', { sink: () => undefined }) })
})
afterAll(async () => {
  await backplane.close()
  rmSync(home, { recursive: true, force: true })
})

const item = (label: string | RegExp) => {
  const found = electron.FakeTray.last!.menu.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')))
  if (!found) throw new Error(`No tray item ${String(label)} in ${electron.FakeTray.last!.menu.map((i) => i.label).join(', ')}`)
  return found
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 50))

describe('tray', () => {
  it('follows the capture server and the unread count, and acts on its menu', async () => {
    const opened: string[] = []
    const preferences = { startAtLogin: false, startHidden: false }
    const tray = createTray({ backplane, iconDir: '/icons', preferences, openWindow: (route) => opened.push(route ?? '(where it was)'), quit: () => undefined, platform: 'win32' })
    const fake = electron.FakeTray.last!
    const port = backplane.capture.status().port!
    expect(fake.tooltip).toBe(`Backplane — capturing mail on 127.0.0.1:${port}; no unread mail`)
    expect(fake.image.path).toBe(join('/icons', 'tray-light.png'))

    // Real mail to the real capture server: the count follows without anyone calling update().
    const received = new Promise((resolve) => backplane.events.on('outbox.changed', resolve))
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
    await transport.sendMail({ from: 'app@example.test', to: 'ada@example.test', subject: 'Hi', text: 'x' })
    transport.close()
    await received
    await settle()
    expect(fake.tooltip).toContain('1 unread message')
    expect(item(/^Open the outbox/).label).toBe('Open the outbox (1 unread)')

    item(/^Open the outbox/).click!()
    expect(opened).toEqual(['/mail'])

    item('Pause capture').click!()
    await vi.waitFor(() => expect(item('Resume capture')).toBeTruthy())
    expect(backplane.capture.status().state).toBe('stopped')
    expect(backplane.outboxSettings().smtp.enabled).toBe(false)
    expect(fake.tooltip).toContain('capture paused')
    item('Resume capture').click!()
    await vi.waitFor(() => expect(backplane.capture.status().state).toBe('running'))

    item('Start at login').click!()
    await vi.waitFor(() => expect(item('Start at login').checked).toBe(true))
    expect(electron.loginItems).toEqual([{ openAtLogin: true }])
    expect(JSON.parse(readFileSync(join(home, 'desktop.json'), 'utf8'))).toEqual({ startAtLogin: true, startHidden: false })

    // A dark panel gets the white glyph.
    electron.nativeTheme.shouldUseDarkColors = true
    electron.nativeTheme.emit('updated')
    expect(fake.image.path).toBe(process.platform === 'darwin' ? join('/icons', 'tray-light.png') : join('/icons', 'tray-dark.png'))
    tray.destroy()
    expect(fake.destroyed).toBe(true)
  })
})

describe('single instance', () => {
  const fakeWindow = (state: { minimized: boolean; visible: boolean; destroyed?: boolean }) => {
    const calls: string[] = []
    return {
      calls,
      isDestroyed: () => state.destroyed ?? false,
      isMinimized: () => state.minimized,
      isVisible: () => state.visible,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
    }
  }

  it('brings the one window forward on a second launch: restored, shown from the tray, focused', () => {
    const hidden = fakeWindow({ minimized: true, visible: false })
    expect(bringForward(hidden)).toBe(true)
    expect(hidden.calls).toEqual(['restore', 'show', 'focus'])
    const shown = fakeWindow({ minimized: false, visible: true })
    bringForward(shown)
    expect(shown.calls).toEqual(['focus'])
  })

  it('says when there is no window left to bring forward, so that one is made', () => {
    expect(bringForward(undefined)).toBe(false)
    expect(bringForward(fakeWindow({ minimized: false, visible: true, destroyed: true }))).toBe(false)
  })

  it('starts hidden by preference or when the login item passes --hidden', () => {
    expect(startsHidden(['electron', '.'], false)).toBe(false)
    expect(startsHidden(['electron', '.'], true)).toBe(true)
    expect(startsHidden(['backplane', '--hidden'], false)).toBe(true)
  })
})

describe('window menu', () => {
  it('lists the keyboard shortcuts under Help, and Go moves the GUI', () => {
    const events = new EventBus()
    const seen: unknown[] = []
    events.on('ui.navigate', (p) => seen.push(p))
    const template = menuTemplate(events, 'linux')
    const help = template.find((m) => m.role === 'help')!.submenu as { label?: string; submenu?: { label?: string }[] }[]
    const shortcuts = help.find((m) => m.label === 'Keyboard shortcuts')!.submenu!.map((m) => m.label)
    expect(shortcuts).toEqual(expect.arrayContaining(['Ctrl+2    Mail', 'Ctrl+7    Settings', '/    Search the outbox', 'j / k    Next / previous message', 'r    Mark the message read or unread']))
    const go = template.find((m) => m.label === 'Go')!.submenu as { label: string; accelerator: string; click: () => void }[]
    expect(go.map((m) => m.accelerator)).toEqual(['CmdOrCtrl+1', 'CmdOrCtrl+2', 'CmdOrCtrl+3', 'CmdOrCtrl+4', 'CmdOrCtrl+5', 'CmdOrCtrl+6', 'CmdOrCtrl+7'])
    go[1]!.click()
    expect(seen).toEqual([{ path: '/mail' }])
    expect(menuTemplate(events, 'darwin').find((m) => m.role === 'help')).toBeTruthy()
  })
})
