import { Grid, Stack } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient, type InfiniteData } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { useApiClient } from '../../../api/hooks'
import { ConfirmDialog } from '../../../components/confirm-dialog'
import { useSlashFocus } from '../../../components/use-slash-focus'
import { KeyBrowser } from './key-browser'
import type { KeyTarget } from './key-lookup'
import { KeyValuePanel } from './key-value-panel'
import { SetKeyForm } from './set-key-form'
import type { ScanPage } from './use-key-scan'

const sameKey = (a: KeyTarget, b: KeyTarget) => (a.key !== undefined ? a.key === b.key : a.userKey === b.userKey && a.version === b.version)
const nameOf = (target: KeyTarget) => target.userKey ?? target.key ?? ''

/** The key browser on the left; the opened key, or the form for a new one, on the right. */
export function KeysView({ alias }: { alias: string }) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const [opened, setOpened] = useState<KeyTarget | null>(null)
  const [deleting, setDeleting] = useState<KeyTarget | null>(null)
  const [confirming, setConfirming] = useState(false)
  const patternInput = useRef<HTMLInputElement>(null)

  // "/" goes to the pattern box, as in RedisInsight and most browsers of lists.
  useSlashFocus(patternInput)

  const askToDelete = (target: KeyTarget) => {
    setDeleting(target)
    setConfirming(true)
  }

  // Deleted at the server, then gone from every list and the panel at once; the lists are read again
  // in the background, so the dialog closes when the delete is done rather than when a rescan is.
  const remove = async () => {
    if (!deleting) return
    const target = deleting
    const deleted =
      target.userKey !== undefined
        ? (await client.call('cache.delete', { alias, key: target.userKey, ...(target.version === undefined ? {} : { version: target.version }) })).deleted
        : (await client.call('cache.deleteKeys', { alias, keys: [target.key!] })).deleted > 0
    queryClient.setQueriesData<InfiniteData<ScanPage>>({ queryKey: ['cache.scan', { alias }] }, (data) =>
      data ? { ...data, pages: data.pages.map((page) => ({ ...page, entries: page.entries.filter((entry) => !sameKey(target, { key: entry.key, userKey: entry.userKey, version: entry.version })) })) } : data,
    )
    if (target.key !== undefined) queryClient.removeQueries({ queryKey: ['cache.inspect', { alias, key: target.key }] })
    setOpened((current) => (current && sameKey(current, target) ? null : current))
    if (!deleted) notifications.show({ color: 'yellow', title: 'Already gone', message: `“${nameOf(target)}” had expired or was deleted already.` })
    void queryClient.invalidateQueries({ queryKey: ['cache.scan', { alias }] })
  }

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <KeyBrowser
          alias={alias}
          openKey={opened?.key ?? null}
          onOpen={setOpened}
          onDelete={(entry) => askToDelete({ key: entry.key, userKey: entry.userKey, version: entry.version, listed: entry })}
          onNewKey={() => setOpened(null)}
          onKeysGone={() => setOpened(null)}
          patternInput={patternInput}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="sm">
          {opened ? (
            <KeyValuePanel key={`${opened.key ?? ''}\n${opened.userKey ?? ''}\n${opened.version ?? ''}`} alias={alias} target={opened} onDelete={askToDelete} />
          ) : (
            <SetKeyForm alias={alias} />
          )}
        </Stack>
      </Grid.Col>
      <ConfirmDialog
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={`Delete the key “${deleting ? nameOf(deleting) : ''}”?`}
        message={`It is removed from cache alias “${alias}” at once${deleting?.key ? ` (stored as ${deleting.key})` : ''}.`}
        confirmLabel="Delete key"
        onConfirm={remove}
      />
    </Grid>
  )
}
