import { join } from 'node:path'
import { createBackend, testContext, withBackend, type TestContext } from '../../../../test/support/engine-context'
import type { Database } from '../../data/base'
import { sqliteEngine } from '../../data/engines/sqlite'
import type { AuthBackend } from '../base'
import { modelEngine } from './model'

/** For the model backend's tests: the backend on a SQLite file of a fresh data directory, and how to close both. */
export interface ModelBed {
  ctx: TestContext
  db: Database
  backend: AuthBackend
  close(): Promise<void>
}

/** The model backend over a new SQLite file, with createTables unless the options say otherwise. */
export async function modelOnFreshSqlite(options: Record<string, unknown> = {}): Promise<ModelBed> {
  const ctx = testContext('auth', { engine: 'model' })
  const db = await createBackend<Database>(sqliteEngine, { name: join(ctx.dataDir, 'auth.sqlite3') }, testContext('data'))
  const backend = await createBackend<AuthBackend>(modelEngine, { createTables: true, ...options }, withBackend(ctx, db))
  return {
    ctx,
    db,
    backend,
    async close() {
      await backend.close()
      await db.close()
      ctx.cleanup()
    },
  }
}
