import { Alert, Text } from '@mantine/core'
import { IconLockOpen } from '@tabler/icons-react'
import { useApiQuery } from '../../api/hooks'

/** Shown when secrets fall back to the encrypted file beside the data (no keychain answered). */
export function SecretStoreWarning() {
  const info = useApiQuery('system.info', {})
  const warning = info.data?.secretStore.warning
  if (!warning) return null
  return (
    <Alert color="yellow" icon={<IconLockOpen size={18} />} title={`Secrets are kept in ${info.data?.secretStore.description ?? 'a file'}`} py="xs">
      <Text size="xs">{warning}</Text>
    </Alert>
  )
}
