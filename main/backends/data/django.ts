import type { Database } from './base'

export interface DjangoView {
  isDjango: boolean
  migrations: { app: string; name: string; applied: string | null }[]
  models: { table: string; app: string; model: string }[]
}

/**
 * What Django's own tables say about a database: the applied migrations (`django_migrations`) and the
 * model of each table (`django_content_type`, matched to Django's default table name `app_model`; a
 * model with its own `db_table` is not found this way, as the content types do not record it).
 */
export async function djangoView(db: Database): Promise<DjangoView> {
  const tables = await db.tables()
  const names = new Map(tables.map((t) => [t.name.toLowerCase(), t.name]))
  const hasMigrations = names.has('django_migrations')
  const hasContentTypes = names.has('django_content_type')
  if (!hasMigrations && !hasContentTypes) return { isDjango: false, migrations: [], models: [] }
  const migrations = hasMigrations
    ? (await db.query('SELECT app, name, applied FROM django_migrations ORDER BY app, id', [], { maxRows: 100_000 })).rows.map(([app, name, applied]) => ({
        app: String(app),
        name: String(name),
        applied: applied === null ? null : String(applied),
      }))
    : []
  const models = hasContentTypes
    ? (await db.query('SELECT app_label, model FROM django_content_type ORDER BY app_label, model', [], { maxRows: 100_000 })).rows.flatMap(([app, model]) => {
        const table = names.get(`${String(app)}_${String(model)}`.toLowerCase())
        return table ? [{ table, app: String(app), model: String(model) }] : []
      })
    : []
  return { isDjango: true, migrations, models }
}
