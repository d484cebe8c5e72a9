import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { HealthProbe } from '../../../core/health-probe'
import { countOf } from '../../../core/schemas/count-noun'
import type { Database } from '../../data/base'
import { AuthSql } from './model-sql'

/** Django's auth tables, each with what needs it: the model backend refuses to run without all seven. */
export const AUTH_TABLES = ['auth_user', 'auth_group', 'auth_permission', 'django_content_type', 'auth_user_groups', 'auth_user_user_permissions', 'auth_group_permissions'] as const
type AuthTable = (typeof AUTH_TABLES)[number]

/*
 * Django 3.2's own SQLite schema for django.contrib.auth and django.contrib.contenttypes, as
 * `migrate` leaves it, read back from sqlite_master:
 *
 *   echo '{"database":{"ENGINE":"django.db.backends.sqlite3","NAME":"/tmp/ddl.sqlite3"},"ops":[{"op":"migrate"},{"op":"sqlite_schema"}]}' \
 *     | /usr/bin/python3 test/support/django_auth.py
 *
 * Django 4.x and 5.x add no migration to these two apps. Each table comes with its indexes.
 */
const SQLITE_DDL: Record<AuthTable | 'django_migrations', string[]> = {
  django_migrations: [
    'CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL)',
  ],
  django_content_type: [
    'CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL)',
    'CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model")',
  ],
  auth_group_permissions: [
    'CREATE TABLE "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)',
    'CREATE UNIQUE INDEX "auth_group_permissions_group_id_permission_id_0cd325b0_uniq" ON "auth_group_permissions" ("group_id", "permission_id")',
    'CREATE INDEX "auth_group_permissions_group_id_b120cbf9" ON "auth_group_permissions" ("group_id")',
    'CREATE INDEX "auth_group_permissions_permission_id_84c5c92e" ON "auth_group_permissions" ("permission_id")',
  ],
  auth_user_groups: [
    'CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)',
    'CREATE UNIQUE INDEX "auth_user_groups_user_id_group_id_94350c0c_uniq" ON "auth_user_groups" ("user_id", "group_id")',
    'CREATE INDEX "auth_user_groups_user_id_6a12ed8b" ON "auth_user_groups" ("user_id")',
    'CREATE INDEX "auth_user_groups_group_id_97559544" ON "auth_user_groups" ("group_id")',
  ],
  auth_user_user_permissions: [
    'CREATE TABLE "auth_user_user_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)',
    'CREATE UNIQUE INDEX "auth_user_user_permissions_user_id_permission_id_14a6b632_uniq" ON "auth_user_user_permissions" ("user_id", "permission_id")',
    'CREATE INDEX "auth_user_user_permissions_user_id_a95ead1b" ON "auth_user_user_permissions" ("user_id")',
    'CREATE INDEX "auth_user_user_permissions_permission_id_1fbb5f2c" ON "auth_user_user_permissions" ("permission_id")',
  ],
  auth_permission: [
    'CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL, "name" varchar(255) NOT NULL)',
    'CREATE UNIQUE INDEX "auth_permission_content_type_id_codename_01ab375a_uniq" ON "auth_permission" ("content_type_id", "codename")',
    'CREATE INDEX "auth_permission_content_type_id_2f476e4b" ON "auth_permission" ("content_type_id")',
  ],
  auth_group: ['CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE)'],
  auth_user: [
    'CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL)',
  ],
}

/** The content types post_migrate creates, in its order (so their ids are Django's: 1 to 4), with their verbose names. */
const CONTENT_TYPES = [
  { app: 'contenttypes', model: 'contenttype', verbose: 'content type' },
  { app: 'auth', model: 'permission', verbose: 'permission' },
  { app: 'auth', model: 'group', verbose: 'group' },
  { app: 'auth', model: 'user', verbose: 'user' },
] as const
/** Django's Options.default_permissions, each named "Can <action> <verbose name>". */
const DEFAULT_PERMISSIONS = ['add', 'change', 'delete', 'view'] as const

/** What `migrate` records for these tables, so that a later `manage.py migrate` on the file finds them applied. */
const MIGRATIONS: [app: string, name: string][] = [
  ['contenttypes', '0001_initial'],
  ['contenttypes', '0002_remove_content_type_name'],
  ...[
    '0001_initial',
    '0002_alter_permission_name_max_length',
    '0003_alter_user_email_max_length',
    '0004_alter_user_username_opts',
    '0005_alter_user_last_login_null',
    '0006_require_contenttypes_0002',
    '0007_alter_validators_add_error_messages',
    '0008_alter_user_username_max_length',
    '0009_alter_user_last_name_max_length',
    '0010_alter_group_name_max_length',
    '0011_update_proxy_permissions',
    '0012_alter_user_first_name_max_length',
  ].map((name): [string, string] => ['auth', name]),
]

export interface SchemaScene {
  alias: string
  createTables: boolean
}

/** The auth tables the database lacks (lower-case names; MariaDB on Windows and macOS folds case). */
export async function missingAuthTables(db: Database): Promise<AuthTable[]> {
  const present = new Set((await db.tables()).map((t) => t.name.toLowerCase()))
  return AUTH_TABLES.filter((t) => !present.has(t))
}

export function missingTablesError(alias: string, missing: readonly string[]): BackplaneError {
  const all = missing.length === AUTH_TABLES.length || missing.includes('auth_user')
  const message = all
    ? `Database "${alias}" has no auth_user table${missing.length > 1 ? ` (nor ${missing.filter((t) => t !== 'auth_user').join(', ')})` : ''}.`
    : `Database "${alias}" has auth_user but not ${missing.join(', ')}: Django's auth tables are incomplete.`
  return new BackplaneError(ErrorCode.E_AUTH_TABLES_MISSING, message, {
    hint: all
      ? 'Run Django\'s "manage.py migrate" against it, or turn on "create tables" for a SQLite database.'
      : 'Run Django\'s "manage.py migrate" against it (with django.contrib.auth and django.contrib.contenttypes in INSTALLED_APPS).',
    details: { missing },
  })
}

/**
 * Makes sure Django's seven auth tables are there: on SQLite with createTables, the missing ones are
 * created as Django's migrate creates them (with the content types and default permissions its
 * post_migrate adds, and the migrations recorded); otherwise a missing table is E_AUTH_TABLES_MISSING.
 */
export async function ensureAuthTables(db: Database, scene: SchemaScene): Promise<void> {
  const missing = await missingAuthTables(db)
  if (missing.length === 0) return
  if (!scene.createTables) throw missingTablesError(scene.alias, missing)
  if (db.vendor !== 'sqlite') {
    throw new BackplaneError(ErrorCode.E_UNSUPPORTED, `Creating the auth tables is supported on SQLite only, not ${db.vendor}; "${scene.alias}" lacks ${missing.join(', ')}.`, {
      hint: 'Run Django\'s "manage.py migrate" against this database.',
    })
  }
  const hadMigrations = (await db.tables()).some((t) => t.name === 'django_migrations')
  // One transaction (SQLite's DDL is transactional): a failure leaves no table half seeded, and the next use starts again.
  await new AuthSql(db, db.vendor).transaction(
    async (sql) => {
      for (const table of [...(hadMigrations ? [] : (['django_migrations'] as const)), ...missing]) {
        for (const ddl of SQLITE_DDL[table]) await sql.run(ddl)
      }
      await seedDefaultPermissions(sql)
      if (!hadMigrations) {
        const now = sql.now()
        await sql.run(`INSERT INTO django_migrations (app, name, applied) VALUES ${MIGRATIONS.map(() => '(?, ?, ?)').join(', ')}`, MIGRATIONS.flatMap(([app, name]) => [app, name, now]))
      }
    },
  )
}

/** Django's post_migrate for auth and contenttypes: their content types and add/change/delete/view permissions, where missing. */
async function seedDefaultPermissions(sql: AuthSql): Promise<void> {
  for (const { app, model, verbose } of CONTENT_TYPES) {
    let row = await sql.first('SELECT id FROM django_content_type WHERE app_label = ? AND model = ?', [app, model])
    if (!row) {
      await sql.run('INSERT INTO django_content_type (app_label, model) VALUES (?, ?)', [app, model])
      row = await sql.first('SELECT id FROM django_content_type WHERE app_label = ? AND model = ?', [app, model])
    }
    const contentType = row![0]
    for (const action of DEFAULT_PERMISSIONS) {
      const codename = `${action}_${model}`
      if (await sql.first('SELECT 1 FROM auth_permission WHERE content_type_id = ? AND codename = ?', [contentType, codename])) continue
      await sql.run('INSERT INTO auth_permission (content_type_id, codename, name) VALUES (?, ?, ?)', [contentType, codename, `Can ${action} ${verbose}`])
    }
  }
}

/** The health check's steps: the alias, the tables (or that they come on first use), the users. A check creates no table. */
export async function probeAuthTables(probe: HealthProbe, database: () => Promise<Database>, scene: SchemaScene): Promise<void> {
  const db = await probe.step('database', database, () => `alias "${scene.alias}"`)
  if (!db) return
  const missing = await probe.step('tables', () => missingAuthTables(db), (m) => (m.length === 0 ? "Django's auth tables found" : `missing ${m.join(', ')}`))
  if (!missing) return
  if (missing.length > 0) {
    if (scene.createTables && db.vendor === 'sqlite') probe.summary = `The auth tables are created in ${scene.alias} on first use`
    else await probe.step('auth_user', () => Promise.reject(missingTablesError(scene.alias, missing)))
    return
  }
  const users = await probe.step('auth_user', async () => Number((await db.query('SELECT count(*) FROM auth_user')).rows[0]?.[0] ?? 0), (n) => countOf(n, 'user'))
  if (users !== undefined) probe.summary = `${countOf(users, 'user')} in ${scene.alias}.auth_user`
}
