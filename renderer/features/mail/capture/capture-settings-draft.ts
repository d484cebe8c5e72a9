import type { MethodInput, OutboxSettingsView } from '../../../../main/api/contract'

/** A number input's value: empty while the user clears it to type another. */
export type NumberValue = number | ''

export interface CaptureUserDraft {
  username: string
  /** The server keeps a password for this user (it never says which). */
  passwordSet: boolean
  /** Added in this form: its name can still be edited. */
  added: boolean
}

export interface CaptureSettingsDraft {
  enabled: boolean
  host: string
  port: NumberValue
  maxSizeMB: NumberValue
  auth: OutboxSettingsView['smtp']['auth']
  users: CaptureUserDraft[]
  starttls: boolean
  requireTls: boolean
  mailboxes: OutboxSettingsView['mailboxes']
  maxMessages: NumberValue
  maxAgeDays: NumberValue
  notify: boolean
  /** New passwords by username, or null to clear one; users not named keep what is stored. */
  passwords: Record<string, string | null>
}

export function toDraft(view: OutboxSettingsView): CaptureSettingsDraft {
  return {
    enabled: view.smtp.enabled,
    host: view.smtp.host,
    port: view.smtp.port,
    maxSizeMB: view.smtp.maxSizeMB,
    auth: view.smtp.auth,
    users: view.smtp.users.map((user) => ({ ...user, added: false })),
    starttls: view.smtp.starttls,
    requireTls: view.smtp.requireTls,
    mailboxes: view.mailboxes,
    maxMessages: view.retention.maxMessages ?? '',
    maxAgeDays: view.retention.maxAgeDays ?? '',
    notify: view.notify,
    passwords: {},
  }
}

/**
 * The saveSettings call for a draft. An empty required number goes as NaN so the server's
 * validation names the field (one set of rules, not a copy here); an empty retention limit means
 * "keep all". Empty new passwords are not sent: they would not change anything.
 */
export function toSaveInput(draft: CaptureSettingsDraft): MethodInput<'outbox.saveSettings'> {
  const required = (value: NumberValue) => (value === '' ? Number.NaN : value)
  const passwords: Record<string, string | null> = {}
  for (const user of draft.users) {
    const given = draft.passwords[user.username]
    if (given === null || (given !== undefined && given !== '')) passwords[user.username] = given
  }
  return {
    settings: {
      smtp: {
        enabled: draft.enabled,
        host: draft.host.trim(),
        port: required(draft.port),
        maxSizeMB: required(draft.maxSizeMB),
        auth: draft.auth,
        users: draft.users.map(({ username, passwordSet }) => ({ username: username.trim(), passwordSet })),
        starttls: draft.starttls,
        requireTls: draft.requireTls,
      },
      mailboxes: draft.mailboxes,
      retention: { maxMessages: draft.maxMessages === '' ? null : draft.maxMessages, maxAgeDays: draft.maxAgeDays === '' ? null : draft.maxAgeDays },
      notify: draft.notify,
    },
    passwords,
  }
}
