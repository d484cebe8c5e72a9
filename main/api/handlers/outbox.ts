import { isMailBackend } from '../../backends/mail'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { isLoopback } from '../../core/loopback'
import { isPlainObject } from '../../core/settings/settings-document'
import type { OutboxSettings } from '../../services/mail-capture/outbox-settings'
import { attachmentOf, messageDetail } from '../../services/outbox/message-detail'
import type { OutboxSettingsView } from '../contract'
import type { HandlerGroup } from '../router'
import { backendOf, capability } from './backend-of'

type OutboxMethods =
  | 'outbox.list'
  | 'outbox.get'
  | 'outbox.source'
  | 'outbox.download'
  | 'outbox.attachment'
  | 'outbox.markRead'
  | 'outbox.delete'
  | 'outbox.counts'
  | 'outbox.release'
  | 'outbox.status'
  | 'outbox.settings'
  | 'outbox.saveSettings'

export const outboxHandlers: HandlerGroup<OutboxMethods> = {
  'outbox.list': ({ query, mailbox, limit, offset, beforeId }, { app }) =>
    app.outbox.list({ query, limit, offset, ...(mailbox === undefined ? {} : { mailbox }), ...(beforeId === undefined ? {} : { beforeId }) }),
  'outbox.get': async ({ id, markRead }, { app }) => {
    const detail = await messageDetail(app.outbox, id)
    if (markRead && !detail.isRead) {
      await app.outbox.markRead([id], true)
      detail.isRead = true
    }
    return detail
  },
  'outbox.source': ({ id, maxBytes }, { app }) => {
    const raw = app.outbox.raw(id)
    return { text: raw.subarray(0, maxBytes).toString('utf8'), size: raw.length, truncated: raw.length > maxBytes }
  },
  'outbox.download': ({ id }, { app }) => {
    const message = app.outbox.get(id)
    const name = (message.subject || `message-${id}`).replace(/[^\p{L}\p{N} ._-]+/gu, '_').slice(0, 80).trim()
    return { filename: `${name || `message-${id}`}.eml`, contentBase64: app.outbox.raw(id).toString('base64') }
  },
  'outbox.attachment': async ({ id, index }, { app }) => {
    const { filename, contentType, content } = await attachmentOf(app.outbox, id, index)
    return { filename, contentType, contentBase64: content.toString('base64') }
  },
  'outbox.markRead': async ({ ids, read, mailbox }, { app }) => ({ changed: await app.outbox.markRead(ids, read, mailbox) }),
  'outbox.delete': async ({ ids, mailbox }, { app }) => ({ deleted: await app.outbox.delete(ids, mailbox) }),
  'outbox.counts': (_input, { app }) => {
    const mailboxes = app.outbox.counts()
    return { total: mailboxes.reduce((n, m) => n + m.total, 0), unread: mailboxes.reduce((n, m) => n + m.unread, 0), mailboxes }
  },
  'outbox.release': async ({ id, alias, to }, { app }) => {
    const message = app.outbox.get(id)
    const backend = await backendOf(app, 'mail', alias, isMailBackend)
    const recipients = to ?? message.envelopeTo
    await capability(backend.sendRaw?.bind(backend), 'send a message as it is (release)', alias)(app.outbox.raw(id), { from: message.envelopeFrom, to: recipients })
    return { ok: true, to: recipients }
  },
  'outbox.status': (_input, { app }) => app.capture.status(),
  'outbox.settings': (_input, { app }) => settingsView(app.outboxSettings()),
  'outbox.saveSettings': async ({ settings, passwords }, { app }) => {
    const current = app.outboxSettings()
    // Opening the capture server to other machines is decided outside the API, as serve mode's --allow-remote is.
    if (!isLoopback(settings.smtp.host) && settings.smtp.host !== current.smtp.host) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `Listening on ${settings.smtp.host} would let other machines reach the capture server; that is not set from the API.`, {
        hint: 'Set services.outbox.smtp.host in settings.json by hand if you really want it, or keep 127.0.0.1.',
        details: { issues: [{ path: ['smtp', 'host'], message: 'Only a loopback address can be set here.' }] },
      })
    }
    const users: OutboxSettings['smtp']['users'] = []
    for (const user of settings.smtp.users) {
      const id = `services.outbox.smtp.users.${user.username}`
      const given = passwords[user.username]
      if (typeof given === 'string' && given !== '') {
        await app.secrets.set(id, given)
        users.push({ username: user.username, password: { $secret: id } })
      } else if (given !== null && current.smtp.users.find((u) => u.username === user.username)?.password) {
        users.push({ username: user.username, password: { $secret: id } })
      } else {
        users.push({ username: user.username })
      }
    }
    if (settings.smtp.auth === 'listed' && !users.some((u) => u.password)) {
      throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, 'SMTP AUTH "listed" needs at least one user with a password.', {
        hint: 'Add a user and set its password, or choose "any".',
        details: { issues: [{ path: ['smtp', 'users'], message: 'Add a user with a password.' }] },
      })
    }
    const next: OutboxSettings = { ...settings, smtp: { ...settings.smtp, users } }
    await app.settings.update((doc) => {
      doc.services = { ...(isPlainObject(doc.services) ? doc.services : {}), outbox: next }
    })
    for (const old of current.smtp.users) {
      if (!users.some((u) => u.username === old.username && u.password)) await app.secrets.delete(`services.outbox.smtp.users.${old.username}`)
    }
    await app.settingsChanged()
    return settingsView(app.outboxSettings())
  },
}

function settingsView(settings: OutboxSettings): OutboxSettingsView {
  return { ...settings, smtp: { ...settings.smtp, users: settings.smtp.users.map((u) => ({ username: u.username, passwordSet: u.password !== undefined })) } }
}

