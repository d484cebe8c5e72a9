import Database from 'better-sqlite3'

export type SqliteDatabase = Database.Database

/**
 * Opens a SQLite file the way every part of Backplane wants it: WAL so readers never wait for the
 * writer, a busy timeout instead of SQLITE_BUSY errors, foreign keys on.
 * `BACKPLANE_SQLITE_BINDING` points better-sqlite3 at a build for another ABI (Electron's), since
 * the one in node_modules is built for plain Node.
 */
export function openSqlite(path: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  const nativeBinding = process.env.BACKPLANE_SQLITE_BINDING
  const db = new Database(path, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  if (!options.readonly) db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  return db
}
