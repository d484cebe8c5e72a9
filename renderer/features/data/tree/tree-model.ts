import type { DjangoView, TableDetail, TableSummary } from '../table/table-ref'
import { tableKey } from '../table/table-ref'

/**
 * The connection tree as the flat list of rows it shows: schemas → tables and views → columns,
 * indexes and foreign keys, and Django's migrations; built from what has loaded, filtered by name,
 * so that the list can be virtualized and walked with the keyboard.
 */

export type TreeNode =
  | { kind: 'schema'; id: string; level: number; label: string; isDefault: boolean; count: number | undefined }
  | { kind: 'table'; id: string; level: number; label: string; table: TableSummary; model: string | undefined }
  | { kind: 'column'; id: string; level: number; label: string; column: TableDetail['columns'][number]; references: string | undefined; table: TableSummary }
  | { kind: 'group'; id: string; level: number; label: string; count: number }
  | { kind: 'index'; id: string; level: number; label: string; index: TableDetail['indexes'][number] }
  | { kind: 'foreignKey'; id: string; level: number; label: string; foreignKey: TableDetail['foreignKeys'][number] }
  | { kind: 'djangoRoot'; id: string; level: number; label: string; count: number }
  | { kind: 'djangoApp'; id: string; level: number; label: string; count: number }
  | { kind: 'migration'; id: string; level: number; label: string; applied: string | null }
  | { kind: 'status'; id: string; level: number; label: string; tone: 'loading' | 'error' | 'empty'; hint?: string | undefined }

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string; hint?: string | undefined } | { state: 'ready'; data: T }

export interface TreeInput {
  schemas: readonly { name: string; isDefault: boolean }[]
  tables: Loaded<readonly TableSummary[]>
  /** describe results of the expanded tables, by tableKey. */
  details: ReadonlyMap<string, Loaded<TableDetail>>
  django: DjangoView | undefined
  expanded: ReadonlySet<string>
  filter: string
}

export const schemaNodeId = (schema: string) => `s:${schema}`
export const tableNodeId = (table: TableSummary) => `t:${tableKey(table)}`
export const DJANGO_ROOT_ID = 'd:migrations'

/** A table's schema as the tree groups it (SQLite's tables may come without one: the default's). */
export function schemaOf(table: TableSummary, defaultSchema: string): string {
  return table.schema ?? defaultSchema
}

export function modelLabels(django: DjangoView | undefined): Map<string, string> {
  const labels = new Map<string, string>()
  if (!django?.isDjango) return labels
  for (const { table, app, model } of django.models) labels.set(table.toLowerCase(), `${app}.${model}`)
  return labels
}

function statusNode(parent: string, level: number, loaded: Loaded<unknown>, empty: string): TreeNode[] {
  if (loaded.state === 'loading') return [{ kind: 'status', id: `x:${parent}`, level, label: 'Loading…', tone: 'loading' }]
  if (loaded.state === 'error') return [{ kind: 'status', id: `x:${parent}`, level, label: loaded.message, hint: loaded.hint, tone: 'error' }]
  return [{ kind: 'status', id: `x:${parent}`, level, label: empty, tone: 'empty' }]
}

function tableChildren(table: TableSummary, detail: Loaded<TableDetail> | undefined, level: number): TreeNode[] {
  const id = tableNodeId(table)
  if (!detail || detail.state !== 'ready') return statusNode(id, level, detail ?? { state: 'loading' }, '')
  const { columns, indexes, foreignKeys } = detail.data
  const references = new Map<string, string>()
  for (const fk of foreignKeys) {
    fk.columns.forEach((column, i) => references.set(column, `${fk.references.name}.${fk.references.columns[i] ?? '?'}`))
  }
  const nodes: TreeNode[] = columns.map((column) => ({ kind: 'column', id: `${id}:c:${column.name}`, level, label: column.name, column, references: references.get(column.name), table }))
  if (columns.length === 0) nodes.push(...statusNode(`${id}:c`, level, { state: 'ready', data: null }, 'No columns'))
  return nodes.concat(
    indexes.length > 0 ? [{ kind: 'group', id: `${id}:g:indexes`, level, label: 'Indexes', count: indexes.length }] : [],
    foreignKeys.length > 0 ? [{ kind: 'group', id: `${id}:g:fks`, level, label: 'Foreign keys', count: foreignKeys.length }] : [],
  )
}

function groupChildren(groupId: string, detail: TableDetail, level: number): TreeNode[] {
  if (groupId.endsWith(':g:indexes')) {
    return detail.indexes.map((index) => ({ kind: 'index', id: `${groupId}:${index.name}`, level, label: index.name, index }))
  }
  return detail.foreignKeys.map((foreignKey, i) => ({
    kind: 'foreignKey',
    id: `${groupId}:${i}`,
    level,
    label: `${foreignKey.columns.join(', ')} → ${foreignKey.references.schema ? `${foreignKey.references.schema}.` : ''}${foreignKey.references.name}(${foreignKey.references.columns.join(', ')})`,
    foreignKey,
  }))
}

/** The rows to show, in order. While filtering, every schema with a match is open, whatever was collapsed. */
export function visibleNodes({ schemas, tables, details, django, expanded, filter }: TreeInput): TreeNode[] {
  const needle = filter.trim().toLowerCase()
  const models = modelLabels(django)
  const defaultSchema = schemas.find((s) => s.isDefault)?.name ?? schemas[0]?.name ?? 'main'
  const out: TreeNode[] = []
  const all = tables.state === 'ready' ? tables.data : []
  const matches = (table: TableSummary) => {
    if (!needle) return true
    const model = models.get(table.name.toLowerCase())
    return table.name.toLowerCase().includes(needle) || (model !== undefined && model.toLowerCase().includes(needle))
  }
  // Schemas the server listed, and any a table names that it did not (a driver that lists none).
  const names = [...schemas.map((s) => s.name)]
  for (const table of all) if (!names.includes(schemaOf(table, defaultSchema))) names.push(schemaOf(table, defaultSchema))
  if (names.length === 0) names.push(defaultSchema)

  for (const schema of names) {
    const inSchema = all.filter((t) => schemaOf(t, defaultSchema) === schema)
    const shown = inSchema.filter(matches)
    if (needle && shown.length === 0) continue
    const sid = schemaNodeId(schema)
    const open = needle !== '' || expanded.has(sid)
    out.push({ kind: 'schema', id: sid, level: 1, label: schema, isDefault: schema === defaultSchema, count: tables.state === 'ready' ? inSchema.length : undefined })
    if (!open) continue
    if (tables.state !== 'ready') {
      out.push(...statusNode(sid, 2, tables, ''))
      continue
    }
    if (shown.length === 0) out.push(...statusNode(sid, 2, tables, 'No tables or views yet'))
    for (const table of shown) {
      const tid = tableNodeId(table)
      out.push({ kind: 'table', id: tid, level: 2, label: table.name, table, model: models.get(table.name.toLowerCase()) })
      if (!expanded.has(tid)) continue
      const detail = details.get(tableKey(table))
      for (const child of tableChildren(table, detail, 3)) {
        out.push(child)
        if (child.kind === 'group' && expanded.has(child.id) && detail?.state === 'ready') out.push(...groupChildren(child.id, detail.data, 4))
      }
    }
  }

  if (django?.isDjango && django.migrations.length > 0) {
    const apps = new Map<string, DjangoView['migrations']>()
    for (const migration of django.migrations) {
      if (needle && !migration.app.toLowerCase().includes(needle) && !migration.name.toLowerCase().includes(needle)) continue
      apps.set(migration.app, [...(apps.get(migration.app) ?? []), migration])
    }
    if (!needle || apps.size > 0) {
      out.push({ kind: 'djangoRoot', id: DJANGO_ROOT_ID, level: 1, label: 'Django migrations', count: django.migrations.length })
      if (expanded.has(DJANGO_ROOT_ID) || needle) {
        for (const [app, migrations] of apps) {
          const aid = `d:app:${app}`
          out.push({ kind: 'djangoApp', id: aid, level: 2, label: app, count: migrations.length })
          if (!expanded.has(aid) && !needle) continue
          for (const migration of migrations) out.push({ kind: 'migration', id: `${aid}:${migration.name}`, level: 3, label: migration.name, applied: migration.applied })
        }
      }
    }
  }
  return out
}

export function isExpandable(node: TreeNode): boolean {
  return node.kind === 'schema' || node.kind === 'table' || node.kind === 'group' || node.kind === 'djangoRoot' || node.kind === 'djangoApp'
}

/** The row above `index` one level up: where ArrowLeft goes from a child. */
export function parentIndex(nodes: readonly TreeNode[], index: number): number {
  const level = nodes[index]?.level ?? 1
  for (let i = index - 1; i >= 0; i -= 1) if (nodes[i]!.level < level) return i
  return -1
}
