// A custom data engine: a folder of JSON files, each an array of objects, read as tables. It only
// understands  SELECT * FROM <table> [LIMIT n]  — enough to browse the data in the Data screen.
// Use it with  "engine": "./json-data.mjs#JsonFolder", "options": { "folder": "json-tables" }
import { readdir, readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'

const SELECT = /^\s*select\s+\*\s+from\s+"?([A-Za-z0-9_-]+)"?\s*(?:limit\s+(\d+))?\s*;?\s*$/i

export const JsonFolder = {
  kind: 'data',
  title: 'JSON files (read-only)',
  description: 'Each .json file in a folder is a table (an array of objects).',
  create(options, ctx) {
    const folder = typeof options.folder === 'string' ? options.folder : 'json-tables'
    const dir = isAbsolute(folder) ? folder : join(ctx.dataDir, folder)
    return {
      vendor: 'json',
      async tables() {
        const files = await readdir(dir).catch(() => [])
        return files.filter((f) => f.endsWith('.json')).map((f) => ({ name: f.slice(0, -5), type: 'table' }))
      },
      async query(sql, _params = [], { maxRows = 1000 } = {}) {
        const started = performance.now()
        const match = SELECT.exec(sql)
        if (!match) {
          throw Object.assign(new Error('This engine only understands SELECT * FROM <table> [LIMIT n].'), {
            code: 'E_SQL',
            hint: 'It is an example engine; see examples/json-data.mjs.',
          })
        }
        const rows = JSON.parse(await readFile(join(dir, `${match[1]}.json`), 'utf8'))
        const limit = Math.min(match[2] ? Number(match[2]) : Infinity, maxRows)
        const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
        return {
          columns: columns.map((name) => ({ name })),
          rows: rows.slice(0, limit).map((r) => columns.map((c) => r[c] ?? null)),
          rowCount: Math.min(rows.length, limit),
          truncated: rows.length > limit,
          durationMs: performance.now() - started,
        }
      },
      async check() {
        const started = performance.now()
        const tables = await this.tables()
        return {
          kind: 'data', alias: ctx.alias, engine: ctx.engine, state: 'ok', latencyMs: performance.now() - started,
          version: 'JSON folder', summary: `${tables.length} tables in ${dir}`,
          steps: [{ name: 'list', ok: true, ms: performance.now() - started }], checkedAt: new Date().toISOString(),
        }
      },
      async close() {},
    }
  },
}
