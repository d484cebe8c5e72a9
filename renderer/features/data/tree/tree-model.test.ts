import { describe, expect, it } from 'vitest'
import type { TableDetail, TableSummary } from '../table/table-ref'
import { DJANGO_ROOT_ID, parentIndex, schemaNodeId, tableNodeId, visibleNodes, type Loaded, type TreeInput } from './tree-model'

const users: TableSummary = { schema: 'main', name: 'auth_user', type: 'table', rowEstimate: 3 }
const orders: TableSummary = { schema: 'main', name: 'shop_order', type: 'table' }
const active: TableSummary = { schema: 'main', name: 'active_users', type: 'view' }
const detail: TableDetail = {
  ...orders,
  columns: [
    { name: 'id', type: 'INTEGER', nullable: false, default: null, primaryKey: 1 },
    { name: 'user_id', type: 'INTEGER', nullable: false, default: null, primaryKey: 0 },
  ],
  primaryKey: ['id'],
  indexes: [{ name: 'shop_order_user', columns: ['user_id'], unique: false, primary: false }],
  foreignKeys: [{ columns: ['user_id'], references: { name: 'auth_user', columns: ['id'] } }],
}

function input(patch: Partial<TreeInput> = {}): TreeInput {
  return {
    schemas: [{ name: 'main', isDefault: true }],
    tables: { state: 'ready', data: [users, orders, active] },
    details: new Map(),
    django: {
      isDjango: true,
      migrations: [
        { app: 'auth', name: '0001_initial', applied: '2024-05-01T10:00:00Z' },
        { app: 'shop', name: '0001_initial', applied: null },
      ],
      models: [{ table: 'auth_user', app: 'auth', model: 'user' }],
    },
    expanded: new Set([schemaNodeId('main')]),
    filter: '',
    ...patch,
  }
}

const labels = (i: TreeInput) => visibleNodes(i).map((n) => `${'  '.repeat(n.level - 1)}${n.label}`)

describe('the connection tree', () => {
  it('lists schemas, their tables with Django models, and a closed migrations node', () => {
    const nodes = visibleNodes(input())
    expect(nodes.map((n) => n.label)).toEqual(['main', 'auth_user', 'shop_order', 'active_users', 'Django migrations'])
    expect(nodes.find((n) => n.label === 'auth_user')).toMatchObject({ kind: 'table', model: 'auth.user' })
  })

  it('opens a table to its columns (with the foreign key they start), indexes and foreign keys', () => {
    const details = new Map<string, Loaded<TableDetail>>([['main\u0000shop_order', { state: 'ready', data: detail }]])
    const expanded = new Set([schemaNodeId('main'), tableNodeId(orders), `${tableNodeId(orders)}:g:indexes`])
    const nodes = visibleNodes(input({ details, expanded }))
    expect(labels(input({ details, expanded }))).toEqual([
      'main',
      '  auth_user',
      '  shop_order',
      '    id',
      '    user_id',
      '    Indexes',
      '      shop_order_user',
      '    Foreign keys',
      '  active_users',
      'Django migrations',
    ])
    expect(nodes.find((n) => n.label === 'user_id')).toMatchObject({ references: 'auth_user.id' })
    expect(parentIndex(nodes, nodes.findIndex((n) => n.label === 'shop_order_user'))).toBe(nodes.findIndex((n) => n.label === 'Indexes'))
  })

  it('says loading and errors where the children will be', () => {
    const details = new Map<string, Loaded<TableDetail>>([['main\u0000shop_order', { state: 'error', message: 'no such table', hint: 'Refresh' }]])
    const nodes = visibleNodes(input({ details, expanded: new Set([schemaNodeId('main'), tableNodeId(orders), tableNodeId(users)]) }))
    expect(nodes.filter((n) => n.kind === 'status').map((n) => n.label)).toEqual(['Loading…', 'no such table'])
  })

  it('filters by table name or Django model, opening every schema with a match, and keeps matching migrations', () => {
    expect(labels(input({ expanded: new Set(), filter: 'USER' }))).toEqual(['main', '  auth_user', '  active_users'])
    expect(labels(input({ expanded: new Set(), filter: 'auth.u' }))).toEqual(['main', '  auth_user'])
    expect(labels(input({ filter: '0001' }))).toEqual(['Django migrations', '  auth', '    0001_initial', '  shop', '    0001_initial'])
  })

  it('lists the applied migrations of an opened app', () => {
    const nodes = visibleNodes(input({ expanded: new Set([DJANGO_ROOT_ID, 'd:app:auth']) }))
    expect(nodes.slice(-3).map((n) => [n.kind, n.label])).toEqual([
      ['djangoApp', 'auth'],
      ['migration', '0001_initial'],
      ['djangoApp', 'shop'],
    ])
  })
})
