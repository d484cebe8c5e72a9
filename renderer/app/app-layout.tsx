import { AppShell, Group, Image, Text } from '@mantine/core'
import { Outlet } from 'react-router'
import appIcon from '../../assets/icon.svg'
import { useNewMailNotifications } from '../features/mail/use-new-mail-notifications'
import { ColorSchemeToggle } from './color-scheme-toggle'
import { ConnectionBanner } from './connection-banner'
import { SignOutButton } from './sign-out-button'
import { SidebarNav } from './sidebar-nav'
import { useLiveUpdates } from './use-live-updates'
import { useSectionShortcuts } from './use-section-shortcuts'

export function AppLayout() {
  useLiveUpdates()
  useSectionShortcuts()
  useNewMailNotifications()
  return (
    <AppShell navbar={{ width: 208, breakpoint: 0 }} padding="md">
      <AppShell.Navbar p="xs">
        <AppShell.Section>
          <Group gap={8} px={6} py={8} mb={6}>
            <Image src={appIcon} w={28} h={28} alt="" aria-hidden />
            <Text fw={700} size="md">
              Backplane
            </Text>
          </Group>
        </AppShell.Section>
        <AppShell.Section grow>
          <SidebarNav />
        </AppShell.Section>
        <AppShell.Section>
          <ColorSchemeToggle />
          <SignOutButton />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <ConnectionBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  )
}
