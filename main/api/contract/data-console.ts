import { z } from 'zod'
import { method } from './define'

const Alias = z.string().min(1).max(200).default('default')
const Id = z.string().min(1).max(100)

/** What one run of the SQL console ended with. */
export const RunOutcome = z.enum(['ok', 'failed', 'cancelled'])

export const HistoryEntryView = z.object({
  id: z.string(),
  /** The text that was run (the selection, the statement under the cursor, or the whole script). */
  sql: z.string(),
  /** The text was longer than the history keeps; `sql` is its start. */
  sqlTruncated: z.boolean().optional(),
  ranAt: z.string().describe('ISO time the run started.'),
  durationMs: z.number(),
  outcome: RunOutcome,
  /** Statements that ran to their end. */
  statements: z.number(),
  /** Rows returned plus rows affected, over those statements. */
  rowCount: z.number(),
  /** The failure's message, for a failed run. */
  error: z.string().optional(),
})
export type HistoryEntryView = z.infer<typeof HistoryEntryView>

export const SavedQueryView = z.object({
  id: z.string(),
  name: z.string(),
  sql: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type SavedQueryView = z.infer<typeof SavedQueryView>

export const dataConsoleMethods = {
  'dataConsole.history': method({
    description: "The SQL console's runs on a database alias, newest first (the last 1,000 are kept), searched by their text.",
    input: z.object({
      alias: Alias,
      search: z.string().max(1000).default('').describe('Case-insensitive text the SQL or its error contains.'),
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).max(1000).default(0),
    }),
    output: z.object({ entries: z.array(HistoryEntryView), total: z.number() }),
  }),
  'dataConsole.record': method({
    description: 'Adds one run of the SQL console to the history of its alias; the oldest runs beyond 1,000 are dropped.',
    input: z.object({
      alias: Alias,
      sql: z.string().min(1).max(4 * 1024 * 1024),
      ranAt: z.iso.datetime({ offset: true }).optional().describe('When the run started; now by default.'),
      durationMs: z.number().min(0).max(1e12),
      outcome: RunOutcome,
      statements: z.number().int().min(0).max(1_000_000).default(0),
      rowCount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      error: z.string().max(10_000).optional(),
    }),
    output: HistoryEntryView,
  }),
  'dataConsole.clearHistory': method({
    description: 'Forgets every run of the SQL console on a database alias.',
    input: z.object({ alias: Alias }),
    output: z.object({ cleared: z.number() }),
  }),
  'dataConsole.saved': method({
    description: 'The saved queries of a database alias, by name.',
    input: z.object({ alias: Alias }),
    output: z.array(SavedQueryView),
  }),
  'dataConsole.save': method({
    description: 'Saves a query under a name (names are unique per alias); with an id, renames or rewrites that saved query.',
    input: z.object({
      alias: Alias,
      id: Id.optional().describe('The saved query to change; a new one when absent.'),
      name: z.string().trim().min(1, 'Name the query.').max(200),
      sql: z.string().min(1, 'There is no SQL to save.').max(1024 * 1024),
    }),
    output: SavedQueryView,
  }),
  'dataConsole.deleteSaved': method({
    description: 'Deletes one saved query of a database alias.',
    input: z.object({ alias: Alias, id: Id }),
    output: z.object({ deleted: z.boolean() }),
  }),
}
