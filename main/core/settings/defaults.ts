import type { SettingsDocument } from './settings-document'

/**
 * What a first run gets: everything works with nothing installed. Mirrors Django's defaults where
 * Django has one (locmem cache, a SQLite database, the filesystem storage, the model auth backend),
 * with mail going into the local outbox instead of an SMTP server that is not there.
 */
export function embeddedDefaults(): SettingsDocument {
  return {
    version: 1,
    mail: { default: { engine: 'outbox' } },
    databases: { default: { engine: 'sqlite', options: { name: 'backplane.sqlite3' } } },
    caches: { default: { engine: 'locmem' } },
    auth: { default: { engine: 'model', options: { database: 'default', createTables: true } } },
    storages: { default: { engine: 'filesystem', options: { location: 'files' } } },
  }
}
