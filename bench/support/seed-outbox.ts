import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { openSqlite } from '../../main/core/sqlite'
import { migrateOutbox } from '../../main/services/outbox/outbox-schema'

const WORDS = `order invoice account password reset welcome shipment delivery payment receipt confirm subscription
newsletter update security alert verify email address team project meeting report weekly monthly summary
discount offer coupon cart checkout refund return ticket support request response question answer release
deploy build staging production error warning failure success backup database server cache queue worker
customer product price quantity total tax shipping tracking package warehouse schedule calendar reminder
invitation event webinar download document attachment signature contract agreement policy privacy terms`.split(/\s+/)
const RARE = Array.from({ length: 5000 }, (_, i) => `term${i.toString(36)}`)

/** A deterministic pseudo-random generator, so every seeding makes the same outbox. */
function random(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    return x / 0x7fffffff
  }
}

/**
 * Writes `count` captured messages straight into an outbox database, as the capture server would
 * have stored and indexed them (raw bytes, summary columns, full-text rows), in large transactions.
 */
export function seedOutbox(file: string, count: number): { seconds: number; count: number } {
  mkdirSync(dirname(file), { recursive: true })
  const db = openSqlite(file)
  db.pragma('synchronous = OFF')
  migrateOutbox(db)
  const have = db.prepare('SELECT count(*) FROM messages').pluck().get() as number
  const rnd = random(42 + have)
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!
  const insert = db.prepare(
    `INSERT INTO messages (mailbox, received_at, source, envelope_from, envelope_to, size, parsed, subject, from_addr, to_addrs, cc_addrs, sent_at, message_id, attachments, snippet, is_read)
     VALUES ('default', ?, 'smtp', ?, ?, ?, 1, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`,
  )
  const raw = db.prepare('INSERT INTO message_raw (id, raw) VALUES (?, ?)')
  const fts = db.prepare('INSERT INTO messages_fts (rowid, subject, from_addr, to_addrs, body) VALUES (?, ?, ?, ?, ?)')
  const started = performance.now()
  const start = Date.now() - count * 1000
  const BATCH = 10_000
  for (let done = have; done < count; done += BATCH) {
    db.transaction(() => {
      for (let i = done; i < Math.min(count, done + BATCH); i++) {
        const from = `${pick(['shop', 'accounts', 'noreply', 'billing', 'team', 'alerts'])}${Math.floor(rnd() * 40)}@example${Math.floor(rnd() * 5)}.test`
        const to = `user${Math.floor(rnd() * 5000)}@customers.test`
        const subject = `${pick(WORDS)} ${pick(WORDS)} #${i}`
        const body = Array.from({ length: 120 }, () => (rnd() < 0.02 ? pick(RARE) : pick(WORDS))).join(' ')
        const attachments = rnd() < 0.1 ? 1 : 0
        const message = `From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}\r\nDate: ${new Date(start + i * 1000).toUTCString()}\r\nMessage-ID: <${i}@seed.test>\r\n\r\n${body}\r\n`
        const id = Number(
          insert.run(start + i * 1000, from, JSON.stringify([to]), message.length, subject, from, JSON.stringify([to]), start + i * 1000, `<${i}@seed.test>`, attachments, body.slice(0, 200), rnd() < 0.7 ? 1 : 0).lastInsertRowid,
        )
        raw.run(id, Buffer.from(message))
        fts.run(id, subject, from, to, body)
      }
    })()
  }
  db.prepare("UPDATE outbox_state SET value = (SELECT max(id) FROM messages) WHERE key = 'headers_indexed_through'").run()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return { seconds: Math.round(performance.now() - started) / 1000, count }
}

if (process.argv[1]?.endsWith('seed-outbox.ts')) {
  const [file, count] = process.argv.slice(2)
  if (!file || !count) {
    process.stderr.write('usage: tsx bench/support/seed-outbox.ts <outbox.sqlite3> <count>\n')
    process.exit(2)
  }
  if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true })
  process.stdout.write(JSON.stringify(seedOutbox(file, Number(count))) + '\n')
}
