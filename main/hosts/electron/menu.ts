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

/**
 * The GUI's own keys, which a menu accelerator cannot carry (they act only where the page has focus):
 * listed under Help so they can be found without reading the docs.
 */
export const PAGE_SHORTCUTS: readonly (readonly [keys: string, what: string])[] = [
  ['/', 'Search the outbox'],
  ['Esc', 'Clear the search, close a popover or dialog'],
  ['j / k', 'Next / previous message'],
  ['Enter', 'Open the selected message'],
  ['r', 'Mark the message read or unread'],
  ['Delete', 'Delete the message (after confirming)'],
]

/** Native menus with the usual roles and shortcuts; "Go" moves the GUI through the same event stream as everything else. */
export function menuTemplate(events: EventBus, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin'
  const go: MenuItemConstructorOptions[] = SECTIONS.map(([label, path], i) => ({
    label,
    accelerator: `CmdOrCtrl+${i + 1}`,
    click: () => events.emit('ui.navigate', { path }),
  }))
  const shortcuts: MenuItemConstructorOptions[] = [
    ...SECTIONS.map(([label], i) => ({ label: `${isMac ? '⌘' : 'Ctrl+'}${i + 1}    ${label}`, enabled: false })),
    { type: 'separator' },
    ...PAGE_SHORTCUTS.map(([keys, what]) => ({ label: `${keys}    ${what}`, enabled: false })),
  ]
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'Go', submenu: go },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Keyboard shortcuts', submenu: shortcuts },
        { type: 'separator' },
        { label: 'Backplane documentation', click: () => void shell.openExternal('https://github.com/backplane-app/backplane/tree/main/docs') },
      ],
    },
  ]
}

export function installMenu(events: EventBus): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(events)))
}
