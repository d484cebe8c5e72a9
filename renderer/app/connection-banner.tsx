import { Alert, Button, Code, Text } from '@mantine/core'
import { IconPlugConnectedX } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { useApiClient, useConnectionStatus } from '../api/hooks'

/**
 * Serve mode only (IPC cannot drop): says the server is gone while the socket reconnects, so stale
 * screens are not mistaken for live ones, and when a restarted server no longer accepts the token.
 */
export function ConnectionBanner() {
  const { transport } = useApiClient()
  const status = useConnectionStatus()
  const seconds = useSecondsUntil(status.retryAt)

  if (status.state === 'unauthorized') {
    return (
      <Alert color="red" icon={<IconPlugConnectedX size={18} />} title="This browser is no longer signed in" mb="md" role="alert">
        Backplane was restarted with a new token, or this browser signed out in another tab. Open the URL that <Code>backplane serve</Code> printed (it ends in{' '}
        <Code>?token=…</Code>).
      </Alert>
    )
  }
  if (transport.kind !== 'socket' || (status.state !== 'lost' && status.state !== 'reconnecting')) return null
  return (
    <Alert color="yellow" icon={<IconPlugConnectedX size={18} />} title="Connection to Backplane lost" mb="md" role="status">
      <Text size="sm">
        {status.state === 'reconnecting' ? (
          'Reconnecting…'
        ) : (
          <>
            Is <Code>backplane serve</Code> still running? Trying again{seconds > 0 ? ` in ${seconds} s` : ''}.
          </>
        )}{' '}
        What you see may be out of date.
      </Text>
      {status.state === 'lost' && (
        <Button mt="xs" variant="default" onClick={() => transport.reconnectNow()}>
          Retry now
        </Button>
      )}
    </Alert>
  )
}

function useSecondsUntil(at: number | undefined): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (at === undefined) return
    const timer = setInterval(() => setNow(Date.now()), 500)
    return () => clearInterval(timer)
  }, [at])
  return at === undefined ? 0 : Math.max(0, Math.ceil((at - now) / 1000))
}
