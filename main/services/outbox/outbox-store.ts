import { EventEmitter } from 'node:events'
import type { OutboxSink } from '../../backends/mail/base'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { EventBus } from '../../core/events'
import type { Logger } from '../../core/log'
import { openSqlite, type SqliteDatabase } from '../../core/sqlite'
import { BodyIndexer } from './body-indexer'
import { headerSummary } from './message-headers'
import { compileQuery } from './outbox-query'
import { MESSAGE_COLUMNS, toStored, type MessageRow, type StoredMessage } from './outbox-rows'
import { migrateOutbox } from './outbox-schema'
import { SqliteWriter, type WriteStep } from './sqlite-writer'

export type { StoredMessage } from './outbox-rows'

export interface IncomingMessage {
  raw: Buffer
  envelope: { from: string; to: string[] }
  source: string
  authUser?: string
  client?: string
}

export type MailboxPolicy = 'single' | 'auth-user' | 'recipient-domain'

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

// Counting every match of a common word over a million messages costs more than the search itself;
// past this many the GUI says "1,000+".
const COUNT_LIMIT = 1_000
const INSERT_MESSAGE = `INSERT INTO messages (mailbox, received_at, source, auth_user, client, envelope_from, envelope_to, size, subject, from_addr, to_addrs, cc_addrs, sent_at, message_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
const CHANGE_EVENT_INTERVAL_MS = 250
const HEADER_INDEX_DELAY_MS = 20
// Recipients are indexed from the JSON columns as they are: the tokenizer skips the punctuation.
const INDEX_HEADERS: WriteStep[] = [
  {
    sql: `INSERT OR REPLACE INTO messages_fts (rowid, subject, from_addr, to_addrs, body)
      SELECT id, subject, from_addr, to_addrs || ' ' || cc_addrs || ' ' || envelope_to, '' FROM messages
      WHERE id > (SELECT value FROM outbox_state WHERE key = 'headers_indexed_through') AND parsed = 0 ORDER BY id`,
    params: [],
  },
  { sql: "UPDATE outbox_state SET value = (SELECT coalesce(max(id), 0) FROM messages) WHERE key = 'headers_indexed_through'", params: [] },
]

/**
 * Captured mail, durably. A message is committed — raw bytes exactly as received, envelope, mailbox,
 * and its headers read and indexed — before its sender hears 250. The body is parsed and indexed
 * afterwards, off the main thread (BodyIndexer); a message still unparsed after a crash is parsed at
 * the next start. Broken mail is kept raw with a warning.
 */
export class OutboxStore implements OutboxSink {
  private readonly db: SqliteDatabase
  private readonly writer: SqliteWriter
  private readonly indexer: BodyIndexer
  private readonly indexed = new EventEmitter()
  private changeTimer: NodeJS.Timeout | undefined
  private headerTimer: NodeJS.Timeout | undefined
  private policy: MailboxPolicy = 'single'
  private closed = false
  private readonly statements

  constructor(
    file: string,
    private readonly events?: EventBus,
    private readonly log?: Logger,
  ) {
    // This connection reads (and migrates once); every write goes through the writer thread.
    // WAL + synchronous NORMAL there: a commit is in the WAL file (the OS has it) before 250 goes
    // out, so a killed process loses nothing; only a power cut could lose the last batch.
    // BACKPLANE_OUTBOX_SYNC=full trades throughput for that too.
    this.db = openSqlite(file)
    migrateOutbox(this.db)
    this.writer = new SqliteWriter(file)
    this.indexed.setMaxListeners(0)
    this.statements = {
      one: this.db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?`),
      raw: this.db.prepare('SELECT raw FROM message_raw WHERE id = ?'),
    }
    this.indexer = new BodyIndexer(this.db, this.writer, () => this.indexed.emit('indexed'), log)
    this.scheduleHeaderIndex()
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
    if (this.closed) throw new BackplaneError(ErrorCode.E_OUTBOX_CLOSED, 'The outbox is closed.')
    const mailboxes = this.mailboxesFor(message)
    const head = headerSummary(message.raw)
    const now = Date.now()
    const to = JSON.stringify(head.to)
    const cc = JSON.stringify(head.cc)
    const steps: WriteStep[] = mailboxes.flatMap((mailbox, i) => {
      const row = { $ref: i * 2 }
      return [
        {
          sql: INSERT_MESSAGE,
          params: [mailbox, now, message.source, message.authUser ?? null, message.client ?? null, message.envelope.from, JSON.stringify(message.envelope.to), message.raw.length, head.subject, head.from, to, cc, head.date, head.messageId],
        },
        { sql: 'INSERT INTO message_raw (id, raw) VALUES (?, ?)', params: [row, message.raw] },
      ]
    })
    const results = await this.writer.run(steps)
    const ids = mailboxes.map((_, i) => results[i * 2]!.lastInsertRowid)
    this.indexer.enqueue(ids)
    this.scheduleHeaderIndex()
    const receivedAt = new Date(now).toISOString()
    for (const [i, id] of ids.entries()) {
      this.events?.emit('outbox.received', { id, mailbox: mailboxes[i]!, subject: head.subject, from: head.from, to: head.to, receivedAt, size: message.raw.length, attachments: 0 })
    }
    this.changed()
    return ids
  }

  /** Messages whose body is not indexed yet (it catches up after a burst). */
  get indexBacklog(): number {
    return this.indexer.backlog
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
    let rows: MessageRow[]
    try {
      rows = this.db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM ${from} ${whereSql} ORDER BY ${order} DESC LIMIT ? OFFSET ?`).all(...allParams, limit, offset) as MessageRow[]
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_INVALID_QUERY, `The search "${query}" could not run: ${(err as Error).message}`, { hint: 'Quote words with special characters: "like-this".' })
    }
    const { total, exact } = this.count(from, whereSql, allParams, !compiled.match && compiled.where.length === 0 && beforeId === undefined && afterId === undefined, mailbox)
    return { total, totalExact: exact, messages: rows.map(toStored) }
  }

  get(id: number): StoredMessage {
    const row = this.statements.one.get(id) as MessageRow | undefined
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
    const value = read ? 1 : 0
    const steps: WriteStep[] =
      ids === 'all'
        ? [{ sql: `UPDATE messages SET is_read = ? WHERE is_read != ?${mailbox === undefined ? '' : ' AND mailbox = ?'}`, params: [value, value, ...(mailbox === undefined ? [] : [mailbox])] }]
        : ids.map((id) => ({ sql: 'UPDATE messages SET is_read = ? WHERE id = ?', params: [value, id] }))
    return this.write(steps)
  }

  async delete(ids: number[] | 'all', mailbox?: string): Promise<number> {
    const steps: WriteStep[] =
      ids === 'all'
        ? [{ sql: `DELETE FROM messages${mailbox === undefined ? '' : ' WHERE mailbox = ?'}`, params: mailbox === undefined ? [] : [mailbox] }]
        : ids.map((id) => ({ sql: 'DELETE FROM messages WHERE id = ?', params: [id] }))
    return this.write(steps)
  }

  /**
   * Keeps the newest maxMessages and nothing older than maxAgeMs, deleting in chunks so that ingest
   * keeps flowing. Ids grow with arrival time, so "older than" is a prefix of the id order.
   */
  async applyRetention({ maxMessages, maxAgeMs }: { maxMessages?: number | null; maxAgeMs?: number | null }): Promise<number> {
    let removed = 0
    for (;;) {
      let cut = 0
      if (maxMessages) cut = (this.db.prepare('SELECT id FROM messages ORDER BY id DESC LIMIT 1 OFFSET ?').pluck().get(maxMessages) as number | undefined) ?? 0
      if (maxAgeMs) {
        const cutoff = Date.now() - maxAgeMs
        const oldest = this.db.prepare('SELECT id, received_at FROM messages ORDER BY id LIMIT 1000').all() as { id: number; received_at: number }[]
        for (const row of oldest) if (row.received_at < cutoff) cut = Math.max(cut, row.id)
      }
      if (cut === 0) break
      const n = await this.write([{ sql: 'DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE id <= ? ORDER BY id LIMIT 1000)', params: [cut] }])
      removed += n
      if (n === 0) break
    }
    return removed
  }

  /**
   * The newest message matching the query (after `afterId`, if given), waiting for one to arrive up to
   * timeoutMs: "wait for the password-reset mail". Resolves undefined on timeout. A match counts once its
   * body is parsed, so what the caller gets says all there is (attachments, snippet, parse warning).
   */
  waitFor(query: string, { timeoutMs, afterId, mailbox }: { timeoutMs: number; afterId?: number; mailbox?: string }): Promise<StoredMessage | undefined> {
    const find = () => {
      const match = this.list({ query, limit: 1, ...(afterId === undefined ? {} : { afterId }), ...(mailbox === undefined ? {} : { mailbox }) }).messages[0]
      return match?.parsed ? match : undefined
    }
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
    clearTimeout(this.changeTimer)
    clearTimeout(this.headerTimer)
    await this.indexer.close()
    await this.writer.close()
    if (this.db.open) this.db.close()
  }

  /**
   * Puts the headers of everything stored since the last run into the full-text index, in one
   * statement. Batching matters: FTS5 writes an index segment per transaction, so indexing each
   * message as it is committed would cost more than storing it.
   */
  private scheduleHeaderIndex(): void {
    if (this.headerTimer) return
    this.headerTimer = setTimeout(() => {
      this.headerTimer = undefined
      if (this.closed) return
      this.writer
        .run(INDEX_HEADERS)
        .then(() => this.indexed.emit('indexed'))
        .catch((err: unknown) => this.log?.error(`indexing headers: ${(err as Error).message}`))
    }, HEADER_INDEX_DELAY_MS)
  }

  /** Runs write steps in one transaction on the writer thread; the rows they changed. */
  private async write(steps: WriteStep[]): Promise<number> {
    const changed = (await this.writer.run(steps)).reduce((n, r) => n + r.changes, 0)
    if (changed) this.changed()
    return changed
  }

  private mailboxesFor(message: IncomingMessage): string[] {
    if (this.policy === 'auth-user') return [message.authUser || 'default']
    if (this.policy === 'recipient-domain') {
      const domains = new Set(message.envelope.to.map((r) => r.slice(r.lastIndexOf('@') + 1).toLowerCase()).filter(Boolean))
      return domains.size ? [...domains] : ['default']
    }
    return ['default']
  }

  private count(from: string, whereSql: string, params: (string | number)[], plain: boolean, mailbox: string | undefined): { total: number; exact: boolean } {
    if (plain) {
      const sql = mailbox === undefined ? 'SELECT coalesce(sum(total), 0) AS n FROM mailbox_counts' : 'SELECT coalesce(sum(total), 0) AS n FROM mailbox_counts WHERE mailbox = ?'
      return { total: (this.db.prepare(sql).get(...(mailbox === undefined ? [] : [mailbox])) as { n: number }).n, exact: true }
    }
    const n = (this.db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} ${whereSql} LIMIT ${COUNT_LIMIT + 1})`).get(...params) as { n: number }).n
    return { total: Math.min(n, COUNT_LIMIT), exact: n <= COUNT_LIMIT }
  }

  /** Counts change with every message; the GUI hears of it at most four times a second. */
  private changed(): void {
    if (this.changeTimer || !this.events) return
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined
      if (!this.closed) this.events?.emit('outbox.changed', { counts: this.counts() })
    }, CHANGE_EVENT_INTERVAL_MS)
    this.changeTimer.unref()
  }
}

function notFound(id: number): BackplaneError {
  return new BackplaneError(ErrorCode.E_NOT_FOUND, `No message ${id} in the outbox.`, { hint: 'It may have been deleted, or removed by retention.' })
}
