import { quoteWith, standardDialect, standardLiteral, type SqlDialect } from '../dialect'

/**
 * Oracle's SQL text. Unquoted names are folded to upper case by the server; introspection answers the
 * names as stored (`BOOK`, or `Book` when it was created quoted), and the grid quotes them exactly, so
 * both kinds are found.
 */
export const oracleDialect: SqlDialect = {
  ...standardDialect,
  name: 'Oracle',
  placeholder: 'colon',
  lexer: { oracleQuotes: true },
  quoteIdentifier: (name) => quoteWith('"', name),
  // The row-limiting clause of 12c; Backplane's thin driver does not reach older servers anyway.
  paging: (limit, offset) => `OFFSET ${Math.max(0, Math.trunc(offset))} ROWS FETCH NEXT ${Math.trunc(limit)} ROWS ONLY`,
  literal: oracleLiteral,
  // EXPLAIN PLAN FOR only fills PLAN_TABLE; the plan is then read with a second statement
  // (SELECT * FROM TABLE(DBMS_XPLAN.DISPLAY)), on the same session. The base's explain runs one statement.
  explain: () => undefined,
  // A CLOB longer than 4000 bytes fails this CAST (ORA-22835); it would need DBMS_LOB.SUBSTR or
  // DBMS_LOB.INSTR, and the dialect is given the column's name, not its type.
  likeComparison: (column) => `UPPER(CAST(${column} AS VARCHAR2(4000))) LIKE UPPER(?) ESCAPE '!'`,
  // CREATE, ALTER, DROP, TRUNCATE, GRANT … commit the open transaction first, read-only or not.
  ddlCommitsImplicitly: true,
  // Oracle has no DEFAULT VALUES; one column set to DEFAULT gives every column its default.
  emptyInsert: (table, firstColumn) => `INSERT INTO ${table} (${firstColumn}) VALUES (DEFAULT)`,
  // Oracle has no BEGIN statement (BEGIN opens a PL/SQL block): a transaction starts with the first
  // change, so the session's begin() only turns autocommit off.
  begin: '',
}

/** A value as Oracle reads it: bytes as HEXTORAW, booleans as 1/0 (no SQL BOOLEAN before 23ai), instants in UTC. */
export function oracleLiteral(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (value instanceof Date && !Number.isNaN(value.getTime())) return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')} +00:00'`
  return standardLiteral(value, (bytes) => `HEXTORAW('${Buffer.from(bytes).toString('hex').toUpperCase()}')`)
}
