import { Button, Grid, Group, Kbd, Paper, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core'
import { getHotkeyHandler } from '@mantine/hooks'
import { IconSend } from '@tabler/icons-react'
import { useState, type FormEvent } from 'react'
import { useApiMutation } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { FileDropZone } from '../../../components/file-drop-zone'
import { MOD_KEY_LABEL } from '../../../components/mod-key'
import { AttachmentList } from './attachment-list'
import { composeErrors, EMPTY_DRAFT, toMessage, type ComposeDraft } from './compose-fields'
import { SendTracePanel, type SendTrace } from './send-trace-panel'
import { useAttachments } from './use-attachments'

interface ComposeFormProps {
  /** The mail alias to send through. */
  alias: string
  /** Prefilled fields (a reply, a resend from the outbox). */
  initial?: Partial<ComposeDraft>
  onSent?: (trace: SendTrace) => void
}

const MONO = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } }

/** Writes a test message and sends it through an alias with mail.sendTest, showing what happened on the way. */
export function ComposeForm({ alias, initial, onSent }: ComposeFormProps) {
  const [draft, setDraft] = useState<ComposeDraft>({ ...EMPTY_DRAFT, ...initial })
  const [submitted, setSubmitted] = useState(false)
  const files = useAttachments()
  const send = useApiMutation('mail.sendTest', { onSuccess: (trace) => onSent?.(trace) })
  const errors = composeErrors(draft)
  const shown = submitted ? errors : {}
  const set = <K extends keyof ComposeDraft>(key: K, value: ComposeDraft[K]) => setDraft((d) => ({ ...d, [key]: value }))

  const submit = (event?: FormEvent) => {
    event?.preventDefault()
    setSubmitted(true)
    if (Object.keys(errors).length > 0 || !files.ready) return
    const attachments = files.attachments.flatMap((a) => (a.contentBase64 === undefined ? [] : [{ filename: a.filename, contentType: a.contentType, contentBase64: a.contentBase64 }]))
    send.mutate({ alias, messages: [toMessage(draft, attachments)] })
  }

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <Paper withBorder p="sm" component="form" onSubmit={submit} noValidate aria-label="Compose a message" onKeyDown={getHotkeyHandler([['mod+Enter', () => submit()]])}>
          <Stack gap="xs">
            <TextInput label="From" placeholder="the alias's default sender" value={draft.from} error={shown.from} onChange={(e) => set('from', e.currentTarget.value)} styles={MONO} />
            <TagsInput label="To" placeholder="ada@example.test, then Enter" value={draft.to} error={shown.to} onChange={(v) => set('to', v)} splitChars={[',', ' ', ';']} acceptValueOnBlur />
            <Group grow align="flex-start">
              <TagsInput label="Cc" value={draft.cc} error={shown.cc} onChange={(v) => set('cc', v)} splitChars={[',', ' ', ';']} acceptValueOnBlur />
              <TagsInput label="Bcc" value={draft.bcc} error={shown.bcc} onChange={(v) => set('bcc', v)} splitChars={[',', ' ', ';']} acceptValueOnBlur />
            </Group>
            <TextInput label="Subject" value={draft.subject} onChange={(e) => set('subject', e.currentTarget.value)} />
            <Textarea label="Text" value={draft.text} onChange={(e) => set('text', e.currentTarget.value)} autosize minRows={5} maxRows={16} />
            <Switch label="Add an HTML part" checked={draft.withHtml} onChange={(e) => set('withHtml', e.currentTarget.checked)} />
            {draft.withHtml && <Textarea label="HTML" value={draft.html} onChange={(e) => set('html', e.currentTarget.value)} autosize minRows={5} maxRows={16} spellCheck={false} styles={MONO} placeholder="<p>Hello</p>" />}
            <FileDropZone onFiles={files.add} pickLabel="Attach files" hint="Drop files here to attach them, or">
              <AttachmentList attachments={files.attachments} onRemove={files.remove} />
            </FileDropZone>
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                <Kbd size="xs">{MOD_KEY_LABEL}</Kbd> + <Kbd size="xs">Enter</Kbd> sends.
              </Text>
              <Button type="submit" leftSection={<IconSend size={14} />} loading={send.isPending} disabled={!files.ready}>
                Send through “{alias}”
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        {send.isError && <ErrorAlert error={send.error} title="The message could not be sent" />}
        {send.data && !send.isPending && <SendTracePanel trace={send.data} />}
        {!send.data && !send.isError && (
          <Text size="sm" c="dimmed">
            The result shows here: each step with its time, the SMTP transcript for SMTP aliases, and a diagnosis when sending fails.
          </Text>
        )}
      </Grid.Col>
    </Grid>
  )
}
