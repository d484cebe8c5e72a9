import { Grid, Group, Stack } from '@mantine/core'
import { IconTrashX } from '@tabler/icons-react'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useApiClient } from '../../api/hooks'
import { ConfirmButton } from '../../components/confirm-button'
import { KeyBrowser, type CacheEntry } from './key-browser'
import { KeyValuePanel } from './key-value-panel'
import { SetKeyForm } from './set-key-form'

/** Keys on the left; the selected key's value and the form to store one on the right. */
export function CacheWorkspace({ alias }: { alias: string }) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const [selected, setSelected] = useState<CacheEntry | null>(null)
  const clearAll = async () => {
    await client.call('cache.clear', { alias })
    setSelected(null)
    await queryClient.invalidateQueries({ queryKey: ['cache.scan'] })
  }
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <KeyBrowser alias={alias} selected={selected?.key ?? null} onSelect={setSelected} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="sm">
          <Group justify="flex-end">
            <ConfirmButton
              leftSection={<IconTrashX size={14} />}
              title={`Clear every key of cache alias “${alias}”?`}
              message="All entries are deleted, including those other applications stored in it (Django: cache.clear())."
              confirmLabel={`Clear “${alias}”`}
              onConfirm={clearAll}
            >
              Clear all…
            </ConfirmButton>
          </Group>
          {selected && <KeyValuePanel key={selected.key} alias={alias} entry={selected} onDeleted={() => setSelected(null)} />}
          <SetKeyForm key={selected?.key ?? ''} alias={alias} initialKey={selected?.userKey} />
        </Stack>
      </Grid.Col>
    </Grid>
  )
}
