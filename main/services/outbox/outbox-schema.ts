import type { SqliteDatabase } from '../../core/sqlite'

/**
 * The outbox database. Raw bytes live in their own table so that listing never walks through
 * megabytes of overflow pages; counts per mailbox are kept by triggers so the first page needs no
 * count(*) over a million rows; the full-text index is contentless (it stores no copy of the text) and
 * allows deleting by rowid. Headers enter the index in batches a few milliseconds after arrival (one
 * index segment per batch instead of per commit), bodies later; outbox_state remembers how far.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mailbox TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    source TEXT NOT NULL,
    auth_user TEXT,
    client TEXT,
    envelope_from TEXT NOT NULL,
    envelope_to TEXT NOT NULL,
    size INTEGER NOT NULL,
    parsed INTEGER NOT NULL DEFAULT 0,
    subject TEXT NOT NULL DEFAULT '',
    from_addr TEXT NOT NULL DEFAULT '',
    to_addrs TEXT NOT NULL DEFAULT '[]',
    cc_addrs TEXT NOT NULL DEFAULT '[]',
    sent_at INTEGER,
    message_id TEXT,
    attachments INTEGER NOT NULL DEFAULT 0,
    snippet TEXT NOT NULL DEFAULT '',
    parse_warning TEXT,
    is_read INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE message_raw (id INTEGER PRIMARY KEY, raw BLOB NOT NULL);
  CREATE INDEX messages_mailbox_id ON messages (mailbox, id);
  CREATE VIRTUAL TABLE messages_fts USING fts5 (
    subject, from_addr, to_addrs, body,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TABLE outbox_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO outbox_state (key, value) VALUES ('headers_indexed_through', 0);
  CREATE TABLE mailbox_counts (mailbox TEXT PRIMARY KEY, total INTEGER NOT NULL, unread INTEGER NOT NULL);
  CREATE TRIGGER messages_counted AFTER INSERT ON messages BEGIN
    INSERT INTO mailbox_counts (mailbox, total, unread) VALUES (new.mailbox, 1, 1 - new.is_read)
      ON CONFLICT (mailbox) DO UPDATE SET total = total + 1, unread = unread + 1 - new.is_read;
  END;
  CREATE TRIGGER messages_uncounted AFTER DELETE ON messages BEGIN
    UPDATE mailbox_counts SET total = total - 1, unread = unread - 1 + old.is_read WHERE mailbox = old.mailbox;
    DELETE FROM message_raw WHERE id = old.id;
    DELETE FROM messages_fts WHERE rowid = old.id;
  END;
  CREATE TRIGGER messages_read AFTER UPDATE OF is_read ON messages WHEN new.is_read != old.is_read BEGIN
    UPDATE mailbox_counts SET unread = unread + old.is_read - new.is_read WHERE mailbox = new.mailbox;
  END;
  `,
]

export function migrateOutbox(db: SqliteDatabase): void {
  const version = db.pragma('user_version', { simple: true }) as number
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}
