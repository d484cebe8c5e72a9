import { EventEmitter } from 'node:events'
import type { OutboxSink } from '../../backends/mail/base'
import { BackplaneError } from '../../core/errors'
import type { EventBus } from '../../core/events'
import type { Logger } from '../../core/log'
import { openSqlite, type SqliteDatabase } from '../../core/sqlite'
import type { MessageSummary } from './message-summary'
import { compileQuery } from './outbox-query'
import { migrateOutbox } from './outbox-schema'
import { ParsePool } from './parse-pool'
import { WriteQueue } from './write-queue'

export interface IncomingMessage {
  raw: Buffer
  envelope: { from: string; to: string[] }
  source: string
  authUser?: string
  client?: string
}

export type MailboxPolicy = 'single' | 'auth-user' | 'recipient-domain'

export interface StoredMessage {
  id: number
  mailbox: string
  receivedAt: string
  source: string
  authUser: string | null
  envelopeFrom: string
  envelopeTo: string[]
  size: number
  parsed: boolean
  subject: string
  from: string
  to: string[]
  cc: string[]
  date: string | null
  messageId: string | null
  attachments: number
  snippet: string
  parseWarning: string | null
  isRead: boolean
}

export interface ListOptions {
  query?: string
  mailbox?: string
  limit?: number
  offset?: number
  /** Keyset paging: only messages older than this id (fast at any depth, unlike offset). */
  beforeId?: number
  /** Only messages newer than this id. */
  afterId?: number
}

export interface MessagePage {
  total: number
  /** False when total stopped counting at COUNT_LIMIT matches. */
  totalExact: boolean
  messages: StoredMessage[]
}

const COUNT_LIMIT = 10_000
const COLUMNS = `m.id, m.mailbox, m.received_at, m.source, m.auth_user, m.envelope_from, m.envelope_to, m.size, m.parsed, m.subject,
  m.from_addr, m.to_addrs, m.cc_addrs, m.sent_at, m.message_id, m.attachments, m.snippet, m.parse_warning, m.is_read`

/**
 * Captured mail, durably. A message is committed (raw bytes exactly as received, envelope, mailbox)
 * before its sender hears 250; parsing and indexing follow off the main thread, and a message still
 * unparsed after a crash is parsed again at the next start. Broken mail is kept raw with a warning.
 */
export class OutboxStore implements OutboxSink {
  private readonly db: SqliteDatabase
  private readonly writes: WriteQueue
  private readonly parser = new ParsePool()
  private readonly indexed = new EventEmitter()
  private policy: MailboxPolicy = 'single'
  private closed = false
  private readonly statements

  constructor(
    file: string,
    private readonly events?: EventBus,
    private readonly log?: Logger,
  ) {
    this.db = openSqlite(file)
    // WAL + NORMAL: a commit is in the WAL file (the OS has it) before 250 goes out, so a killed
    // process loses nothing; only a power cut could lose the last batch (bench shows FULL's cost).
    this.db.pragma(`synchronous = ${process.env.BACKPLANE_OUTBOX_SYNC === 'full' ? 'FULL' : 'NORMAL'}`)
    migrateOutbox(this.db)
    this.writes = new WriteQueue(this.db)
    this.indexed.setMaxListeners(0)
    this.statements = {
      insert: this.db.prepare(
        'INSERT INTO messages (mailbox, received_at, source, auth_user, client, envelope_from, envelope_to, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertRaw: this.db.prepare('INSERT INTO message_raw (id, raw) VALUES (?, ?)'),
      summarize: this.db.prepare(
        'UPDATE messages SET parsed = 1, subject = ?, from_addr = ?, to_addrs = ?, cc_addrs = ?, sent_at = ?, message_id = ?, attachments = ?, snippet = ?, parse_warning = ? WHERE id = ? AND parsed = 0',
      ),
      index: this.db.prepare('INSERT INTO messages_fts (rowid, subject, from_addr, to_addrs, body) VALUES (?, ?, ?, ?, ?)'),
      one: this.db.prepare(`SELECT ${COLUMNS} FROM messages m WHERE m.id = ?`),
      raw: this.db.prepare('SELECT raw FROM message_raw WHERE id = ?'),
    }
    void this.reparsePending()
  }

  setMailboxPolicy(policy: MailboxPolicy): void {
    this.policy = policy
  }

  /** OutboxSink, for the `outbox` mail engine. */
  async deliver(message: { raw: Buffer; envelope: { from: string; to: string[] }; source: string }): Promise<string> {
    const [id] = await this.receive(message)
    return String(id)
  }

  /** Stores a message (one row per mailbox it belongs to) and resolves once it is committed. */
  async receive(message: IncomingMessage): Promise<number[]> {
    if (this.closed) throw new BackplaneError('E_OUTBOX_CLOSED', 'The outbox is closed.')
    const mailboxes = this.mailboxesFor(message)
    const now = Date.now()
    const ids = await this.writes.run(() =>
      mailboxes.map((mailbox) => {
        const { lastInsertRowid } = this.statements.insert.run(
          mailbox,
          now,
          message.source,
          message.authUser ?? null,
          message.client ?? null,
          message.envelope.from,
          JSON.stringify(message.envelope.to),
          message.raw.length,
        )
        this.statements.insertRaw.run(lastInsertRowid, message.raw)
        return Number(lastInsertRowid)
      }),
    )
    void this.index(ids, message)
    return ids
  }

  list({ query = '', mailbox, limit = 50, offset = 0, beforeId, afterId }: ListOptions = {}): MessagePage {
    const compiled = compileQuery(query)
    const where = [...compiled.where]
    const params: (string | number)[] = [...compiled.params]
    if (mailbox !== undefined) {
      where.push('m.mailbox = ?')
      params.push(mailbox)
    }
    if (beforeId !== undefined) {
      where.push('m.id < ?')
      params.push(beforeId)
    }
    if (afterId !== undefined) {
      where.push('m.id > ?')
      params.push(afterId)
    }
    const from = compiled.match ? 'messages_fts f JOIN messages m ON m.id = f.rowid' : 'messages m'
    const conditions = [...(compiled.match ? ['messages_fts MATCH ?'] : []), ...where]
    const allParams = [...(compiled.match ? [compiled.match] : []), ...params]
    const whereSql = conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''
    const order = compiled.match ? 'f.rowid' : 'm.id'
    let rows: Row[]
    try {
      rows = this.db.prepare(`SELECT ${COLUMNS} FROM ${from} ${whereSql} ORDER BY ${order} DESC LIMIT ? OFFSET ?`).all(...allParams, limit, offset) as Row[]
    } catch (err) {
      throw new BackplaneError('E_INVALID_QUERY', `The search "${query}" could not run: ${(err as Error).message}`, { hint: 'Quote words with special characters: "like-this".' })
    }
    const { total, exact } = this.count(from, whereSql, allParams, !compiled.match && compiled.where.length === 0 && beforeId === undefined && afterId === undefined, mailbox)
    return { total, totalExact: exact, messages: rows.map(toStored) }
  }

  get(id: number): StoredMessage {
    const row = this.statements.one.get(id) as Row | undefined
    if (!row) throw notFound(id)
    return toStored(row)
  }

  raw(id: number): Buffer {
    const row = this.statements.raw.get(id) as { raw: Buffer } | undefined
    if (!row) throw notFound(id)
    return row.raw
  }

  counts(): { mailbox: string; total: number; unread: number }[] {
    return this.db.prepare('SELECT mailbox, total, unread FROM mailbox_counts WHERE total > 0 ORDER BY mailbox').all() as { mailbox: string; total: number; unread: number }[]
  }

  async markRead(ids: number[] | 'all', read: boolean, mailbox?: string): Promise<number> {
    const changed = await this.writes.run(() => {
      if (ids === 'all') {
        const sql = `UPDATE messages SET is_read = ? WHERE is_read != ?${mailbox === undefined ? '' : ' AND mailbox = ?'}`
        return this.db.prepare(sql).run(read ? 1 : 0, read ? 1 : 0, ...(mailbox === undefined ? [] : [mailbox])).changes
      }
      const update = this.db.prepare('UPDATE messages SET is_read = ? WHERE id = ?')
      return ids.reduce((n, id) => n + update.run(read ? 1 : 0, id).changes, 0)
    })
    this.changed()
    return changed
  }

  async delete(ids: number[] | 'all', mailbox?: string): Promise<number> {
    const deleted = await this.writes.run(() => {
      if (ids === 'all') return this.db.prepare(`DELETE FROM messages${mailbox === undefined ? '' : ' WHERE mailbox = ?'}`).run(...(mailbox === undefined ? [] : [mailbox])).changes
      const remove = this.db.prepare('DELETE FROM messages WHERE id = ?')
      return ids.reduce((n, id) => n + remove.run(id).changes, 0)
    })
    this.changed()
    return deleted
  }

  /** Keeps the newest maxMessages and nothing older than maxAgeMs; deletes in chunks so writes keep flowing. */
  async applyRetention({ maxMessages, maxAgeMs }: { maxMessages?: number | null; maxAgeMs?: number | null }): Promise<number> {
    let removed = 0
    for (;;) {
      const n = await this.writes.run(() => {
        let count = 0
        if (maxAgeMs) count += this.db.prepare('DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE received_at < ? LIMIT 1000)').run(Date.now() - maxAgeMs).changes
        if (maxMessages) {
          const cut = this.db.prepare('SELECT id FROM messages ORDER BY id DESC LIMIT 1 OFFSET ?').get(maxMessages - 1) as { id: number } | undefined
          if (cut) count += this.db.prepare('DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE id < ? LIMIT 1000)').run(cut.id).changes
        }
        return count
      })
      removed += n
      if (n === 0) break
    }
    if (removed) this.changed()
    return removed
  }

  /**
   * The newest message matching the query (after `afterId`, if given), waiting for one to arrive up to
   * timeoutMs: "wait for the password-reset mail". Resolves undefined on timeout.
   */
  waitFor(query: string, { timeoutMs, afterId, mailbox }: { timeoutMs: number; afterId?: number; mailbox?: string }): Promise<StoredMessage | undefined> {
    const find = () => this.list({ query, limit: 1, ...(afterId === undefined ? {} : { afterId }), ...(mailbox === undefined ? {} : { mailbox }) }).messages[0]
    const found = find()
    if (found) return Promise.resolve(found)
    return new Promise((resolve) => {
      const onIndexed = () => {
        const match = find()
        if (match) finish(match)
      }
      const timer = setTimeout(() => finish(undefined), timeoutMs)
      const finish = (result: StoredMessage | undefined) => {
        clearTimeout(timer)
        this.indexed.off('indexed', onIndexed)
        resolve(result)
      }
      this.indexed.on('indexed', onIndexed)
    })
  }

  /** Every stored message's bytes as text, oldest first (tests and diagnostics). */
  rawMessages(): string[] {
    return (this.db.prepare('SELECT raw FROM message_raw ORDER BY id').all() as { raw: Buffer }[]).map((r) => r.raw.toString('utf8'))
  }

  async close(): Promise<void> {
    this.closed = true
    await this.writes.run(() => undefined).catch(() => undefined)
    await this.parser.close()
    if (this.db.open) this.db.close()
  }

  private mailboxesFor(message: IncomingMessage): string[] {
    if (this.policy === 'auth-user') return [message.authUser || 'default']
    if (this.policy === 'recipient-domain') {
      const domains = new Set(message.envelope.to.map((r) => r.slice(r.lastIndexOf('@') + 1).toLowerCase()).filter(Boolean))
      return domains.size ? [...domains] : ['default']
    }
    return ['default']
  }

  private async index(ids: number[], message: IncomingMessage): Promise<void> {
    const summary = await this.parser.parse(message.raw)
    if (this.closed) return
    // Envelope recipients are searchable as "to:", so a Bcc recipient finds the mail sent to them.
    const recipients = [...new Set([...summary.to, ...summary.cc, ...message.envelope.to])]
    try {
      await this.writes.run(() => {
        for (const id of ids) this.saveSummary(id, summary, recipients)
      })
    } catch (err) {
      this.log?.error(`indexing message ${ids.join(', ')}: ${(err as Error).message}`)
      return
    }
    this.indexed.emit('indexed')
    for (const id of ids) {
      const stored = this.get(id)
      this.events?.emit('outbox.received', { id, mailbox: stored.mailbox, subject: stored.subject, from: stored.from, to: stored.to, receivedAt: stored.receivedAt, size: stored.size, attachments: stored.attachments })
    }
    this.changed()
  }

  private saveSummary(id: number, s: MessageSummary, recipients: string[]): void {
    const { changes } = this.statements.summarize.run(s.subject, s.from, JSON.stringify(s.to), JSON.stringify(s.cc), s.date, s.messageId, s.attachments, s.snippet, s.warning, id)
    if (changes) this.statements.index.run(id, s.subject, s.from, recipients.join(' '), s.body)
  }

  /** After a crash between commit and indexing, those messages are parsed now. */
  private async reparsePending(): Promise<void> {
    const pending = this.db.prepare('SELECT m.id, m.envelope_to, r.raw FROM messages m JOIN message_raw r ON r.id = m.id WHERE m.parsed = 0').all() as { id: number; envelope_to: string; raw: Buffer }[]
    for (const row of pending) {
      if (this.closed) return
      const summary = await this.parser.parse(row.raw)
      const to = JSON.parse(row.envelope_to) as string[]
      await this.writes.run(() => this.saveSummary(row.id, summary, [...new Set([...summary.to, ...summary.cc, ...to])])).catch(() => undefined)
    }
    if (pending.length) this.indexed.emit('indexed')
  }

  private count(from: string, whereSql: string, params: (string | number)[], plain: boolean, mailbox: string | undefined): { total: number; exact: boolean } {
    if (plain) {
      const sql = mailbox === undefined ? 'SELECT coalesce(sum(total), 0) AS n FROM mailbox_counts' : 'SELECT coalesce(sum(total), 0) AS n FROM mailbox_counts WHERE mailbox = ?'
      return { total: (this.db.prepare(sql).get(...(mailbox === undefined ? [] : [mailbox])) as { n: number }).n, exact: true }
    }
    const n = (this.db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} ${whereSql} LIMIT ${COUNT_LIMIT + 1})`).get(...params) as { n: number }).n
    return { total: Math.min(n, COUNT_LIMIT), exact: n <= COUNT_LIMIT }
  }

  private changed(): void {
    this.events?.emit('outbox.changed', { counts: this.counts() })
  }
}

interface Row {
  id: number
  mailbox: string
  received_at: number
  source: string
  auth_user: string | null
  envelope_from: string
  envelope_to: string
  size: number
  parsed: number
  subject: string
  from_addr: string
  to_addrs: string
  cc_addrs: string
  sent_at: number | null
  message_id: string | null
  attachments: number
  snippet: string
  parse_warning: string | null
  is_read: number
}

function toStored(r: Row): StoredMessage {
  return {
    id: r.id,
    mailbox: r.mailbox,
    receivedAt: new Date(r.received_at).toISOString(),
    source: r.source,
    authUser: r.auth_user,
    envelopeFrom: r.envelope_from,
    envelopeTo: JSON.parse(r.envelope_to) as string[],
    size: r.size,
    parsed: r.parsed === 1,
    subject: r.subject,
    from: r.from_addr,
    to: JSON.parse(r.to_addrs) as string[],
    cc: JSON.parse(r.cc_addrs) as string[],
    date: r.sent_at === null ? null : new Date(r.sent_at).toISOString(),
    messageId: r.message_id,
    attachments: r.attachments,
    snippet: r.snippet,
    parseWarning: r.parse_warning,
    isRead: r.is_read === 1,
  }
}

function notFound(id: number): BackplaneError {
  return new BackplaneError('E_NOT_FOUND', `No message ${id} in the outbox.`, { hint: 'It may have been deleted, or removed by retention.' })
}
