/** SQL's standard identifier quoting ("" inside), which SQLite, PostgreSQL and MySQL in ANSI mode accept. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

export function selectAllFrom(table: { schema?: string | undefined; name: string }, limit = 200): string {
  const qualified = table.schema ? `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}` : quoteIdentifier(table.name)
  return `SELECT * FROM ${qualified} LIMIT ${limit}`
}
