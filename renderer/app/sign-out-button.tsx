import { Button } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconLogout } from '@tabler/icons-react'
import { useState } from 'react'
import { signOut } from '../api/client'
import { useApiClient } from '../api/hooks'

/**
 * Serve mode only: forgets this browser's session, for a shared or borrowed machine. The page then
 * shows the lock screen; the URL with the token signs in again. Electron has nothing to sign out of.
 */
export function SignOutButton() {
  const { transport } = useApiClient()
  const [busy, setBusy] = useState(false)
  if (transport.kind !== 'socket') return null
  return (
    <Button
      variant="subtle"
      color="gray"
      size="xs"
      fullWidth
      justify="flex-start"
      mt={6}
      leftSection={<IconLogout size={14} />}
      aria-label="Sign out of this browser"
      title="Sign out of this browser: the printed address with the token signs in again"
      loading={busy}
      onClick={() => {
        setBusy(true)
        signOut().then(
          () => {
            transport.close()
            window.location.reload()
          },
          (error: unknown) => {
            setBusy(false)
            notifications.show({ color: 'red', title: 'Still signed in', message: error instanceof Error ? error.message : String(error) })
          },
        )
      }}
    >
      Sign out
    </Button>
  )
}
