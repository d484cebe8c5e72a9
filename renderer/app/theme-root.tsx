import '@mantine/core/styles.css'
import '@mantine/notifications/styles.css'
import { MantineProvider } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import type { ReactNode } from 'react'
import { theme } from './theme'

/**
 * Light or dark follows the OS until the user picks one; Mantine keeps the choice in localStorage
 * (`mantine-color-scheme-value`) and sets `data-mantine-color-scheme` on <html>.
 */
export function ThemeRoot({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" limit={4} />
      {children}
    </MantineProvider>
  )
}
