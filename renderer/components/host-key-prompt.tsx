import { Button, Code, Group, Stack, Text } from '@mantine/core'
import { IconKey } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { ErrorCode } from '../../main/api/contract'
import { useApiMutation } from '../api/hooks'

interface UnknownHostKey {
  host: string
  port: number
  fingerprint: string
  keyType: string
}

/** The details of E_HOST_KEY_UNKNOWN, when an error is one. */
export function unknownHostKey(error: { code?: string; details?: unknown } | undefined): UnknownHostKey | undefined {
  if (error?.code !== ErrorCode.E_HOST_KEY_UNKNOWN) return undefined
  const d = (error.details ?? {}) as Partial<UnknownHostKey>
  if (typeof d.host !== 'string' || typeof d.port !== 'number' || typeof d.fingerprint !== 'string' || typeof d.keyType !== 'string') return undefined
  return { host: d.host, port: d.port, fingerprint: d.fingerprint, keyType: d.keyType }
}

/**
 * The first-connect question of an SSH tunnel: the server's fingerprint, to compare with what its
 * administrator (or `ssh-keygen -lf` on the server) says, and a button that pins it. Nothing is trusted
 * without that click; a key that later changes is refused as a mismatch.
 */
export function HostKeyPrompt({ error, onTrusted }: { error: { code?: string; details?: unknown } | undefined; onTrusted?: () => void }) {
  const key = unknownHostKey(error)
  const queryClient = useQueryClient()
  const trust = useApiMutation('ssh.trustHostKey', {
    onSuccess: () => {
      void queryClient.invalidateQueries()
      onTrusted?.()
    },
  })
  if (!key) return null
  return (
    <Stack gap={4} mt="xs" aria-label="Unknown SSH server">
      <Text size="sm">
        First connection to the SSH server {key.host}:{key.port}. Its {key.keyType} key fingerprint is
      </Text>
      <Code block fz="sm">
        {key.fingerprint}
      </Code>
      <Text size="xs" c="dimmed">
        Compare it with the one the server&apos;s administrator gives you (on the server: ssh-keygen -lf /etc/ssh/ssh_host_{key.keyType.replace(/^ssh-/, '')}_key.pub) before you trust it.
      </Text>
      <Group gap="xs">
        <Button size="xs" leftSection={<IconKey size={14} />} loading={trust.isPending} onClick={() => trust.mutate(key)}>
          Trust this server
        </Button>
        {trust.isError && (
          <Text size="xs" c="red">
            {trust.error.message}
          </Text>
        )}
        {trust.isSuccess && (
          <Text size="xs" c="teal">
            Trusted. Test again to connect.
          </Text>
        )}
      </Group>
    </Stack>
  )
}
