import { Alert, Text } from '@mantine/core'
import { useInterval } from '@mantine/hooks'
import { IconLock } from '@tabler/icons-react'
import { useState } from 'react'
import type { ApiError } from '../../../api/api-error'

function retryAfterMs(error: ApiError): number {
  const ms = (error.details as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs
  return typeof ms === 'number' && ms > 0 ? ms : 0
}

const secondsText = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.ceil((ms % 60_000) / 1000)} s` : `${Math.ceil(ms / 1000)} s`)

/** E_THROTTLED as the user meets it: locked out, and for how much longer (counting down). */
export function LockoutAlert({ error, since }: { error: ApiError; since: number }) {
  const until = since + retryAfterMs(error)
  const [now, setNow] = useState(() => Date.now())
  useInterval(() => setNow(Date.now()), 1000, { autoInvoke: true })
  const left = Math.max(0, until - now)
  return (
    <Alert color="grape" variant="light" icon={<IconLock size={18} />} title="Locked out" role="alert">
      <Text size="sm">{error.message}</Text>
      <Text size="sm" fw={600} mt={4}>
        {left > 0 ? `Try again in ${secondsText(left)}.` : 'The lock has passed: try again.'}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        Too many failed logins for this username or source. An admin can lift the lock under Protection.
      </Text>
    </Alert>
  )
}
