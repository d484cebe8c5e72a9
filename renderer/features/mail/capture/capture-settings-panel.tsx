import { Button, Center, Group, Loader, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState, type FormEvent, type ReactNode } from 'react'
import type { OutboxSettingsView } from '../../../../main/api/contract'
import { useApiClient, useApiMutation, useApiQuery } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { placeCaptureSettingsError } from './capture-settings-errors'
import { toDraft, toSaveInput, type CaptureSettingsDraft, type NumberValue } from './capture-settings-draft'
import { CaptureStatus } from './capture-status'
import { CaptureUsersField } from './capture-users-field'
import { askNotificationPermission } from './notify-permission'

/** The capture server and what the outbox keeps: status first, then the settings (docs/outbox.md). */
export function CaptureSettingsPanel() {
  const settings = useApiQuery('outbox.settings', {})
  return (
    <Stack gap="sm" maw={860}>
      <CaptureStatus />
      {settings.isPending ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading the capture settings" />
        </Center>
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} title="Could not read the capture settings" />
      ) : (
        <CaptureSettingsForm stored={settings.data} />
      )}
    </Stack>
  )
}

// Limits are not clamped here: the server's validation is the one set of rules, and its message lands on the field.
const numberValue = (value: string | number): NumberValue => (typeof value === 'number' ? value : value === '' ? '' : Number(value))

/**
 * Edits a copy of what is stored; refetches while editing do not overwrite it (settings.changed
 * refreshes everything), only a save or Reset does.
 */
function CaptureSettingsForm({ stored }: { stored: OutboxSettingsView }) {
  const { transport } = useApiClient()
  const status = useApiQuery('outbox.status', {})
  const runningPort = status.data?.state === 'running' ? status.data.port : null
  // `backplane serve --smtp-port N` wins over the stored port for that run; say so, or the form looks wrong.
  const overridden = runningPort !== null && stored.smtp.port !== 0 && runningPort !== stored.smtp.port
  const [draft, setDraft] = useState<CaptureSettingsDraft>(() => toDraft(stored))
  const [notifyNote, setNotifyNote] = useState<string | null>(null)
  const save = useApiMutation('outbox.saveSettings', {
    onSuccess: (saved) => {
      setDraft(toDraft(saved))
      notifications.show({ color: 'teal', title: 'Capture settings saved', message: 'The capture server runs with them now.' })
    },
  })
  const placed = save.isError ? placeCaptureSettingsError(save.error) : { fields: {} as Record<string, string>, general: null }
  const error = (field: string) => placed.fields[field]
  const set = <K extends keyof CaptureSettingsDraft>(key: K, value: CaptureSettingsDraft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate(toSaveInput(draft))
  }
  const turnNotify = async (on: boolean) => {
    set('notify', on)
    setNotifyNote(null)
    if (!on || transport.kind !== 'socket') return
    const permission = await askNotificationPermission()
    if (permission === 'denied') setNotifyNote('This browser blocks notifications for this page: allow them in its site settings, or use the desktop app.')
    if (permission === 'unsupported') setNotifyNote('This browser cannot show notifications.')
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Capture settings">
      <Stack gap="sm">
        {placed.general && <ErrorAlert error={placed.general} title="The settings were not saved" />}
        <Section title="Capture server">
          <Switch label="Run the SMTP capture server" checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} error={error('smtp.enabled')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Host" description="127.0.0.1 keeps it on this machine." value={draft.host} onChange={(e) => set('host', e.currentTarget.value)} error={error('smtp.host')} />
            <NumberInput label="Port" description={overridden ? `Listening on ${runningPort} for this run: --smtp-port overrides it.` : '1025 is what Mailpit and MailDev use.'} value={draft.port} onChange={(v) => set('port', numberValue(v))} error={error('smtp.port')} allowDecimal={false} clampBehavior="none" hideControls />
            <NumberInput label="Largest message (MB)" description="Larger ones get 552 and are not stored." value={draft.maxSizeMB} onChange={(v) => set('maxSizeMB', numberValue(v))} error={error('smtp.maxSizeMB')} clampBehavior="none" hideControls />
          </SimpleGrid>
        </Section>
        <Section title="Login and TLS">
          <div>
            <Text size="sm" fw={500} mb={4}>
              SMTP AUTH
            </Text>
            <SegmentedControl
              aria-label="SMTP AUTH"
              value={draft.auth}
              onChange={(v) => set('auth', v as CaptureSettingsDraft['auth'])}
              data={[
                { value: 'off', label: 'Off' },
                { value: 'any', label: 'Any login' },
                { value: 'listed', label: 'Listed users' },
              ]}
            />
            {error('smtp.auth') && (
              <Text size="xs" c="red">
                {error('smtp.auth')}
              </Text>
            )}
          </div>
          {(draft.auth === 'listed' || draft.users.length > 0) && (
            <CaptureUsersField users={draft.users} passwords={draft.passwords} error={error('smtp.users')} onChange={(users, passwords) => setDraft((d) => ({ ...d, users, passwords }))} />
          )}
          <Switch label="Offer STARTTLS" description="With a self-signed certificate for localhost and 127.0.0.1, made once for this machine." checked={draft.starttls} onChange={(e) => set('starttls', e.currentTarget.checked)} error={error('smtp.starttls')} />
          <Switch label="Require TLS" description="Refuse login and mail until the client has started TLS." checked={draft.requireTls} onChange={(e) => set('requireTls', e.currentTarget.checked)} error={error('smtp.requireTls')} />
        </Section>
        <Section title="Mailboxes">
          <Select
            label="Keep mail apart"
            description="Several projects can share one capture server and still see only their own mail."
            w={360}
            allowDeselect={false}
            value={draft.mailboxes}
            onChange={(v) => v && set('mailboxes', v as CaptureSettingsDraft['mailboxes'])}
            error={error('mailboxes')}
            data={[
              { value: 'single', label: 'One outbox for everything' },
              { value: 'auth-user', label: 'A mailbox per SMTP login' },
              { value: 'recipient-domain', label: 'A mailbox per recipient domain' },
            ]}
          />
        </Section>
        <Section title="Retention">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput label="Keep at most (messages)" description="The oldest go first. Empty keeps all." value={draft.maxMessages} onChange={(v) => set('maxMessages', numberValue(v))} error={error('retention.maxMessages')} allowDecimal={false} clampBehavior="none" thousandSeparator="," hideControls />
            <NumberInput label="Delete after (days)" description="Checked every minute. Empty keeps them." value={draft.maxAgeDays} onChange={(v) => set('maxAgeDays', numberValue(v))} error={error('retention.maxAgeDays')} clampBehavior="none" hideControls />
          </SimpleGrid>
        </Section>
        <Section title="Notifications">
          <Switch
            label="Desktop notification when mail arrives"
            description={transport.kind === 'socket' ? 'Shown by this browser tab while it is open.' : 'Shown by the desktop app.'}
            checked={draft.notify}
            onChange={(e) => void turnNotify(e.currentTarget.checked)}
            error={error('notify') ?? notifyNote}
          />
        </Section>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => {
            save.reset()
            setDraft(toDraft(stored))
          }}>
            Reset
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save capture settings
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" component="fieldset" style={{ margin: 0 }}>
      <Title order={2} component="legend" size="h5" px={4}>
        {title}
      </Title>
      <Stack gap="sm">{children}</Stack>
    </Paper>
  )
}
