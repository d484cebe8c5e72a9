import type { ComponentType } from 'react'
import { IconDatabase, IconFolder, IconGauge, IconKey, IconMail, IconSettings, IconStack2, type IconProps } from '@tabler/icons-react'
import type { Kind } from '../../main/api/contract'

export interface Section {
  path: string
  label: string
  icon: ComponentType<IconProps>
  /** The backend kind the section manages, for its status dot in the sidebar. */
  kind?: Kind
}

/**
 * The sidebar, in order: Ctrl/Cmd+1…7 follow this order, and so does Electron's Go menu
 * (main/hosts/electron/menu.ts sends the same paths through `ui.navigate`).
 */
export const SECTIONS: readonly Section[] = [
  { path: '/', label: 'Dashboard', icon: IconGauge },
  { path: '/mail', label: 'Mail', icon: IconMail, kind: 'mail' },
  { path: '/data', label: 'Data', icon: IconDatabase, kind: 'data' },
  { path: '/cache', label: 'Cache', icon: IconStack2, kind: 'cache' },
  { path: '/auth', label: 'Auth', icon: IconKey, kind: 'auth' },
  { path: '/files', label: 'Files', icon: IconFolder, kind: 'storage' },
  { path: '/settings', label: 'Settings', icon: IconSettings },
]
