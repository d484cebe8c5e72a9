import type { MethodInput, MethodOutput } from '../../../../main/api/contract'

export type TableSummary = MethodOutput<'data.tables'>[number]
export type TableDetail = MethodOutput<'data.describe'>
export type TablePage = MethodOutput<'data.page'>
export type DjangoView = MethodOutput<'data.django'>
export type ChangeInput = MethodInput<'data.applyChanges'>['changes'][number]
export type FilterInput = NonNullable<MethodInput<'data.page'>['filters']>[number]
export type FilterOp = FilterInput['op']
export type SortInput = NonNullable<MethodInput<'data.page'>['sort']>[number]

export interface TableRef {
  schema?: string | undefined
  name: string
}

/** One string per table, for tab values and maps (the schema and name cannot hold NUL). */
export const tableKey = (table: TableRef): string => `${table.schema ?? ''}\u0000${table.name}`

export const tableRefOf = (table: TableRef): TableRef => (table.schema === undefined ? { name: table.name } : { schema: table.schema, name: table.name })

export const tableLabel = (table: TableRef, defaultSchema?: string): string =>
  table.schema && table.schema !== defaultSchema ? `${table.schema}.${table.name}` : table.name
