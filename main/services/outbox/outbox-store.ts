import { randomUUID } from 'node:crypto'
import { openSqlite, type SqliteDatabase } from '../../core/sqlite'
import type { OutboxSink } from '../../backends/mail/base'

/** Captured mail, kept durably in SQLite: the raw bytes exactly as received, plus the envelope. */
export class OutboxStore implements OutboxSink {
  private readonly db: SqliteDatabase
  private readonly insert

  constructor(file: string) {
    this.db = openSqlite(file)
    this.db.exec(`CREATE TABLE IF NOT EXISTS messages (
      id TEXT PRIMARY KEY,
      received_at TEXT NOT NULL,
      mail_from TEXT NOT NULL,
      rcpt_to TEXT NOT NULL,
      source TEXT NOT NULL,
      size INTEGER NOT NULL,
      raw BLOB NOT NULL
    )`)
    this.insert = this.db.prepare('INSERT INTO messages (id, received_at, mail_from, rcpt_to, source, size, raw) VALUES (?, ?, ?, ?, ?, ?, ?)')
  }

  async deliver({ raw, envelope, source }: { raw: Buffer; envelope: { from: string; to: string[] }; source: string }): Promise<string> {
    const id = randomUUID()
    this.insert.run(id, new Date().toISOString(), envelope.from, JSON.stringify(envelope.to), source, raw.length, raw)
    return id
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n
  }

  /** Every stored message's bytes as text, oldest first (tests and diagnostics). */
  rawMessages(): string[] {
    return (this.db.prepare('SELECT raw FROM messages ORDER BY received_at, rowid').all() as { raw: Buffer }[]).map((r) => r.raw.toString('utf8'))
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
