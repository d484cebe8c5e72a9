import { Alert, Loader, Paper, Stack, Textarea } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconAlertTriangle } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { ErrorAlert } from '../../../components/error-alert'
import { useSecretCall } from '../use-secret-call'
import { InspectionView } from './inspection-view'

/**
 * Paste a hash from auth_user.password: what Django would read in it, and whether a login would
 * re-hash it. Nothing is verified and nothing is stored; the hash stays out of the query cache.
 */
export function HashInspector({ alias }: { alias: string }) {
  const [encoded, setEncoded] = useState('')
  const [debounced] = useDebouncedValue(encoded.trim(), 250)
  const inspect = useSecretCall('auth.inspectHash')
  const { run, reset } = inspect
  useEffect(() => {
    if (debounced === '') reset()
    else void run({ encoded: debounced, alias })
  }, [debounced, alias, run, reset])
  const result = inspect.data
  return (
    <Stack gap="sm">
      <Textarea
        label="Password hash"
        description="As stored in auth_user.password: algorithm$parameters$salt$hash, e.g. pbkdf2_sha256$600000$…"
        placeholder="pbkdf2_sha256$1200000$…"
        autosize
        minRows={2}
        maxRows={6}
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        value={encoded}
        onChange={(event) => setEncoded(event.currentTarget.value)}
        rightSection={inspect.pending ? <Loader size={14} aria-label="Reading the hash" /> : null}
      />
      {inspect.error && <ErrorAlert error={inspect.error} title="Could not read the hash" />}
      {result && (
        <Paper withBorder p="sm" aria-label="Hash inspection" role="region">
          {result.problem && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} title="Malformed hash" mb="sm">
              {result.problem}
            </Alert>
          )}
          <InspectionView inspection={result} />
        </Paper>
      )}
    </Stack>
  )
}
