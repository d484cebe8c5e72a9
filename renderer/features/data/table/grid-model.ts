import type { TableDetail } from './table-ref'

/** A column of the table view: what the header says and what editing needs. */
export interface GridColumn {
  name: string
  type: string
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: number
  nullable: boolean
  generated: boolean
  defaultValue: string | null
  /** `other_table.column` when a foreign key starts here. */
  references?: string | undefined
}

/** A row as the grid draws it: loaded from the server, or added and not committed yet. */
export interface GridRow {
  id: string
  reactKey: string
  kind: 'loaded' | 'new'
  /** The loaded values (an empty array for a new row). */
  cells: readonly unknown[]
}

export interface CellPosition {
  rowId: string
  col: number
}

export function gridColumnsOf(detail: TableDetail): GridColumn[] {
  const references = new Map<string, string>()
  for (const fk of detail.foreignKeys) fk.columns.forEach((c, i) => references.set(c, `${fk.references.name}.${fk.references.columns[i] ?? '?'}`))
  return detail.columns.map((c) => ({
    name: c.name,
    type: c.type,
    primaryKey: c.primaryKey,
    nullable: c.nullable,
    generated: c.generated ?? false,
    defaultValue: c.default,
    references: references.get(c.name),
  }))
}
