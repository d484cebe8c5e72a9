import { Select } from '@mantine/core'
import type { MailboxCounts } from '../../../../main/api/contract'
import type { z } from 'zod'

type Counts = z.infer<typeof MailboxCounts>

const ALL = '\u0000all'

/** Shown once mail is kept apart in several mailboxes (per SMTP user or recipient domain). */
export function MailboxSelect({ mailboxes, value, onChange }: { mailboxes: readonly Counts[]; value: string | null; onChange: (mailbox: string | null) => void }) {
  const total = mailboxes.reduce((sum, m) => sum + m.unread, 0)
  const label = (name: string, unread: number) => (unread > 0 ? `${name} (${unread} unread)` : name)
  return (
    <Select
      aria-label="Mailbox"
      w={220}
      allowDeselect={false}
      value={value ?? ALL}
      onChange={(next) => onChange(next === ALL || next === null ? null : next)}
      data={[{ value: ALL, label: label('All mailboxes', total) }, ...mailboxes.map((m) => ({ value: m.mailbox, label: label(m.mailbox, m.unread) }))]}
      comboboxProps={{ withinPortal: true }}
    />
  )
}
