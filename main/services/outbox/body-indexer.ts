import type { Logger } from '../../core/log'
import type { SqliteDatabase } from '../../core/sqlite'
import type { MessageSummary } from './message-summary'
import { searchableRecipients } from './outbox-rows'
import { ParsePool } from './parse-pool'
import type { SqliteWriter } from './sqlite-writer'

const SAVE_SUMMARY =
  'UPDATE messages SET parsed = 1, subject = ?, from_addr = ?, to_addrs = ?, cc_addrs = ?, sent_at = ?, message_id = ?, attachments = ?, snippet = ?, parse_warning = ? WHERE id = ?'
const BATCH = 32
/** While mail is pouring in, the indexer takes this many per pause, so ingest keeps the CPU. */
const BUSY_BATCH = 4
const BUSY_PAUSE_MS = 20
const BUSY_WINDOW_MS = 100

/**
 * Parses message bodies after they are stored and acknowledged, and puts them into the full-text
 * index. It yields to ingest: during a burst it indexes a few messages per pause (the headers are
 * searchable from the start), then catches up at full speed. Unparsed messages left by a crash are
 * picked up at start.
 */
export class BodyIndexer {
  private readonly queue: number[] = []
  private readonly parser = new ParsePool()
  private running = false
  private closed = false
  private lastIngest = 0
  private readonly statements

  constructor(
    private readonly db: SqliteDatabase,
    private readonly writer: SqliteWriter,
    private readonly onIndexed: (ids: number[]) => void,
    private readonly log?: Logger,
  ) {
    this.statements = {
      raw: db.prepare('SELECT m.envelope_to, r.raw FROM messages m JOIN message_raw r ON r.id = m.id WHERE m.id = ?'),
    }
    const pending = db.prepare('SELECT id FROM messages WHERE parsed = 0 ORDER BY id').pluck().all() as number[]
    this.enqueue(pending, false)
  }

  /** Messages just stored; `fromIngest` marks the moment, so indexing yields to the burst. */
  enqueue(ids: number[], fromIngest = true): void {
    if (fromIngest) this.lastIngest = performance.now()
    this.queue.push(...ids)
    if (!this.running && this.queue.length) void this.run()
  }

  /** How many messages wait for their body to be indexed. */
  get backlog(): number {
    return this.queue.length
  }

  async close(): Promise<void> {
    this.closed = true
    await this.parser.close()
  }

  private async run(): Promise<void> {
    this.running = true
    try {
      while (this.queue.length && !this.closed) {
        const busy = performance.now() - this.lastIngest < BUSY_WINDOW_MS
        const ids = this.queue.splice(0, busy ? BUSY_BATCH : BATCH)
        await this.indexBatch(ids)
        if (busy) await new Promise((r) => setTimeout(r, BUSY_PAUSE_MS))
      }
    } finally {
      this.running = false
    }
  }

  private async indexBatch(ids: number[]): Promise<void> {
    const parsed: { id: number; summary: MessageSummary; envelopeTo: string[] }[] = []
    await Promise.all(
      ids.map(async (id) => {
        const row = this.statements.raw.get(id) as { envelope_to: string; raw: Buffer } | undefined
        if (!row) return // deleted meanwhile
        parsed.push({ id, summary: await this.parser.parse(row.raw), envelopeTo: JSON.parse(row.envelope_to) as string[] })
      }),
    )
    if (this.closed || parsed.length === 0) return
    try {
      // Both updates are idempotent, so a message indexed twice (after a restart) comes out the same.
      await this.writer.run(
        parsed.flatMap(({ id, summary: s, envelopeTo }) => [
          { sql: SAVE_SUMMARY, params: [s.subject, s.from, JSON.stringify(s.to), JSON.stringify(s.cc), s.date, s.messageId, s.attachments, s.snippet, s.warning, id] },
          { sql: 'INSERT OR REPLACE INTO messages_fts (subject, from_addr, to_addrs, body, rowid) SELECT ?, ?, ?, ?, id FROM messages WHERE id = ?', params: [s.subject, s.from, searchableRecipients(s.to, s.cc, envelopeTo), s.body, id] },
        ]),
      )
    } catch (err) {
      this.log?.error(`indexing messages ${ids.join(', ')}: ${(err as Error).message}`)
      return
    }
    this.onIndexed(parsed.map((p) => p.id))
  }
}
