import { Menu, shell, type MenuItemConstructorOptions } from 'electron'
import type { EventBus } from '../../core/events'

const SECTIONS = [
  ['Dashboard', '/'],
  ['Mail', '/mail'],
  ['Data', '/data'],
  ['Cache', '/cache'],
  ['Auth', '/auth'],
  ['Files', '/files'],
  ['Settings', '/settings'],
] as const

/** Native menus with the usual roles and shortcuts; "Go" moves the GUI through the same event stream as everything else. */
export function installMenu(events: EventBus): void {
  const isMac = process.platform === 'darwin'
  const go: MenuItemConstructorOptions[] = SECTIONS.map(([label, path], i) => ({
    label,
    accelerator: `CmdOrCtrl+${i + 1}`,
    click: () => events.emit('ui.navigate', { path }),
  }))
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'Go', submenu: go },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Backplane documentation', click: () => void shell.openExternal('https://github.com/backplane-app/backplane/tree/main/docs') }],
    },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
