import { randomUUID } from 'node:crypto'
import { readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../../core/atomic-write'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { Logger } from '../../core/log'
import { makeDirectory } from '../../core/make-directory'

export const CONSOLE_FILE = 'data-console.json'
/** Runs kept per alias, newest first; older ones are dropped as new ones come. */
export const HISTORY_LIMIT = 1000
/** A run's text beyond this is not kept: a pasted dump must not make every later write megabytes long. */
export const HISTORY_SQL_CHARS = 50_000
export const SAVED_LIMIT = 1000

const HistoryEntry = z.object({
  id: z.string(),
  sql: z.string(),
  sqlTruncated: z.boolean().optional(),
  ranAt: z.string(),
  durationMs: z.number(),
  outcome: z.enum(['ok', 'failed', 'cancelled']),
  statements: z.number(),
  rowCount: z.number(),
  error: z.string().optional(),
})
export type HistoryEntry = z.infer<typeof HistoryEntry>

const SavedQuery = z.object({ id: z.string(), name: z.string(), sql: z.string(), createdAt: z.string(), updatedAt: z.string() })
export type SavedQuery = z.infer<typeof SavedQuery>

// Aliases are a list, not an object keyed by name, so an alias called "__proto__" is just a name.
const ConsoleFile = z.object({
  version: z.literal(1),
  aliases: z.array(z.object({ alias: z.string(), history: z.array(HistoryEntry), saved: z.array(SavedQuery) })),
})

interface AliasConsole {
  history: HistoryEntry[]
  saved: SavedQuery[]
}

export type NewRun = Omit<HistoryEntry, 'id' | 'ranAt' | 'sqlTruncated'> & { ranAt?: string | undefined }

/**
 * The SQL console's history and saved queries, per database alias, in one JSON file of the data
 * directory (0600: queries can hold data). Read once, kept in memory, and rewritten atomically after
 * each change; writes are queued so two quick runs never interleave, and one write covers every change
 * made while the previous one was on its way.
 */
export class ConsoleStore {
  private state: Map<string, AliasConsole> | undefined
  private loading: Promise<Map<string, AliasConsole>> | undefined
  private queue: Promise<void> = Promise.resolve()
  private changes = 0
  private written = 0

  constructor(
    readonly file: string,
    private readonly log?: Logger,
  ) {}

  async history(alias: string, { search = '', limit = 200, offset = 0 }: { search?: string; limit?: number; offset?: number } = {}): Promise<{ entries: HistoryEntry[]; total: number }> {
    const all = (await this.of(alias)).history
    const needle = search.trim().toLowerCase()
    const found = needle === '' ? all : all.filter((e) => e.sql.toLowerCase().includes(needle) || (e.error?.toLowerCase().includes(needle) ?? false))
    return { entries: found.slice(offset, offset + limit), total: found.length }
  }

  async record(alias: string, run: NewRun): Promise<HistoryEntry> {
    const entry: HistoryEntry = {
      id: randomUUID(),
      sql: run.sql.slice(0, HISTORY_SQL_CHARS),
      ...(run.sql.length > HISTORY_SQL_CHARS ? { sqlTruncated: true } : {}),
      ranAt: run.ranAt ?? new Date().toISOString(),
      durationMs: run.durationMs,
      outcome: run.outcome,
      statements: run.statements,
      rowCount: run.rowCount,
      ...(run.error === undefined ? {} : { error: run.error }),
    }
    const stored = await this.of(alias, true)
    stored.history.unshift(entry)
    if (stored.history.length > HISTORY_LIMIT) stored.history.length = HISTORY_LIMIT
    await this.persist()
    return entry
  }

  async clearHistory(alias: string): Promise<number> {
    const stored = await this.of(alias)
    const cleared = stored.history.length
    if (cleared === 0) return 0
    stored.history = []
    await this.persist()
    return cleared
  }

  async saved(alias: string): Promise<SavedQuery[]> {
    return [...(await this.of(alias)).saved].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
  }

  /** A new saved query, or (with `id`) a rename or new text for an existing one. Names are unique per alias, ignoring case. */
  async save(alias: string, query: { id?: string | undefined; name: string; sql: string }): Promise<SavedQuery> {
    const stored = await this.of(alias, true)
    const name = query.name.trim()
    const clash = stored.saved.find((s) => s.id !== query.id && s.name.toLowerCase() === name.toLowerCase())
    if (clash) throw new BackplaneError(ErrorCode.E_EXISTS, `A saved query is already called "${name}".`, { hint: 'Choose another name, or open that query and save it.' })
    const now = new Date().toISOString()
    let saved: SavedQuery
    if (query.id === undefined) {
      if (stored.saved.length >= SAVED_LIMIT) throw new BackplaneError(ErrorCode.E_TOO_LARGE, `An alias keeps at most ${SAVED_LIMIT} saved queries.`, { hint: 'Delete some you no longer need.' })
      saved = { id: randomUUID(), name, sql: query.sql, createdAt: now, updatedAt: now }
      stored.saved.push(saved)
    } else {
      const index = stored.saved.findIndex((s) => s.id === query.id)
      const old = stored.saved[index]
      if (!old) throw new BackplaneError(ErrorCode.E_NOT_FOUND, 'That saved query does not exist any more.', { hint: 'It may have been deleted in another window; save it as a new one.' })
      saved = { ...old, name, sql: query.sql, updatedAt: now }
      stored.saved[index] = saved
    }
    await this.persist()
    return saved
  }

  async deleteSaved(alias: string, id: string): Promise<boolean> {
    const stored = await this.of(alias)
    const rest = stored.saved.filter((s) => s.id !== id)
    if (rest.length === stored.saved.length) return false
    stored.saved = rest
    await this.persist()
    return true
  }

  /** The alias's part of the file; `create` adds it, otherwise an unknown alias reads as empty and is not stored. */
  private async of(alias: string, create = false): Promise<AliasConsole> {
    const state = await this.load()
    let stored = state.get(alias)
    if (!stored) {
      stored = { history: [], saved: [] }
      if (create) state.set(alias, stored)
    }
    return stored
  }

  private load(): Promise<Map<string, AliasConsole>> {
    if (this.state) return Promise.resolve(this.state)
    this.loading ??= this.read().then((state) => (this.state = state))
    return this.loading
  }

  private async read(): Promise<Map<string, AliasConsole>> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
      throw err
    }
    const parsed = ConsoleFile.safeParse(parseJson(text))
    if (!parsed.success) {
      // Kept beside it rather than overwritten by the next run: the history may still be read by hand.
      const aside = `${this.file}.damaged-${Date.now()}`
      await rename(this.file, aside)
      this.log?.warn(`${this.file} could not be read (${parsed.error.issues[0]?.message ?? 'not JSON'}); moved it to ${aside} and started an empty history.`)
      return new Map()
    }
    return new Map(parsed.data.aliases.map(({ alias, history, saved }) => [alias, { history, saved }]))
  }

  private persist(): Promise<void> {
    const change = ++this.changes
    const write = this.queue.then(async () => {
      if (this.written >= change) return
      const upTo = this.changes
      await makeDirectory(dirname(this.file), 0o700)
      await writeFileAtomic(this.file, this.serialize(), 0o600)
      this.written = upTo
    })
    // A failed write fails its caller; the next change writes everything again.
    this.queue = write.catch(() => undefined)
    return write
  }

  private serialize(): string {
    const aliases = [...(this.state ?? new Map<string, AliasConsole>())].filter(([, c]) => c.history.length > 0 || c.saved.length > 0).map(([alias, c]) => ({ alias, ...c }))
    return `${JSON.stringify({ version: 1, aliases })}\n`
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
