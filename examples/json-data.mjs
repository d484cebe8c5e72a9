// A custom data engine: a folder of JSON files, each an array of objects, read as tables. It only
// understands  SELECT * FROM <table> [LIMIT n]  — enough to browse the data in the Data screen — and is
// read-only by nature, so the base refuses every statement that would write.
// Use it with  "engine": "./json-data.mjs#JsonFolder", "options": { "folder": "json-tables" }
import { readdir, readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { BackplaneError, BaseDatabase, DatabaseOptions, ErrorCode, defineEngine, looksReadOnly, z } from 'backplane/engine'

const SELECT = /^\s*select\s+\*\s+from\s+"?([A-Za-z0-9_-]+)"?\s*(?:limit\s+(\d+))?\s*;?\s*$/i
const WRITES = /^\s*(insert|update|delete|drop|create|alter|replace|truncate|merge|grant|revoke)\b/i

const JsonFolderOptions = DatabaseOptions.extend({
  folder: z.string().min(1).default('json-tables').describe('The folder of .json files; relative paths start in the data directory.'),
})

class JsonFolderDatabase extends BaseDatabase {
  vendor = 'json'

  constructor(options, ctx) {
    super({ ...options, readOnly: true }, ctx)
    this.dir = isAbsolute(options.folder) ? options.folder : join(ctx.dataDir, options.folder)
  }

  async run(sql, _params, maxRows) {
    const match = SELECT.exec(sql)
    if (!match) throw understandsOnlySelect()
    const rows = JSON.parse(await readFile(join(this.dir, `${match[1]}.json`), 'utf8'))
    const limit = Math.min(match[2] ? Number(match[2]) : Infinity, maxRows)
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    return {
      columns: columns.map((name) => ({ name })),
      rows: rows.slice(0, limit).map((r) => columns.map((c) => r[c] ?? null)),
      rowCount: Math.min(rows.length, limit),
      truncated: rows.length > limit,
    }
  }

  async isReadOnlyStatement(sql) {
    if (looksReadOnly(sql)) return true
    if (WRITES.test(sql)) return false
    throw understandsOnlySelect()
  }

  async ping() {
    await readdir(this.dir).catch((err) => {
      if (err.code !== 'ENOENT') throw err
    })
    return `folder ${this.dir}`
  }

  async serverVersion() {
    return 'JSON folder'
  }

  async tables() {
    const files = await readdir(this.dir).catch(() => [])
    return files.filter((f) => f.endsWith('.json')).map((f) => ({ name: f.slice(0, -5), type: 'table' }))
  }

  async close() {}
}

function understandsOnlySelect() {
  return new BackplaneError(ErrorCode.E_SQL, 'This engine only understands SELECT * FROM <table> [LIMIT n].', { hint: 'It is an example engine; see examples/json-data.mjs.' })
}

export const JsonFolder = defineEngine({
  kind: 'data',
  title: 'JSON files (read-only)',
  description: 'Each .json file in a folder is a table (an array of objects).',
  options: JsonFolderOptions,
  create: (options, ctx) => new JsonFolderDatabase(options, ctx),
})
