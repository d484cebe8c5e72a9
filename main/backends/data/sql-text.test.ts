import { describe, expect, it } from 'vitest'
import type { LexerRules, SqlDialect } from './dialect'
import { destructiveReason, isReaderKeyword } from './readers'
import { codeWords, firstKeyword, splitStatements, translatePlaceholders } from './sql-text'

const pg: Pick<SqlDialect, 'placeholder' | 'lexer'> = { placeholder: 'dollar', lexer: { dollarQuotes: true } }
const mysql: LexerRules = { backslashEscapes: true, backticks: true, hashComments: true }
const oracle: Pick<SqlDialect, 'placeholder' | 'lexer'> = { placeholder: 'colon', lexer: { oracleQuotes: true } }

describe('translatePlaceholders', () => {
  it('numbers ? in code and leaves strings, quoted names, comments and dollar quotes alone', () => {
    const sql = `SELECT ?, '?', "a?b", $$ ? $$, $tag$ ? $tag$ /* ? /* ? */ ? */ -- ?\n, E'\\' ?', ? FROM t WHERE x = ?`
    const out = translatePlaceholders(sql, pg)
    expect(out.sql).toBe(`SELECT $1, '?', "a?b", $$ ? $$, $tag$ ? $tag$ /* ? /* ? */ ? */ -- ?\n, E'\\' ?', $2 FROM t WHERE x = $3`)
    expect(out.placeholders).toBe(3)
  })

  it('writes ?? as a literal ? (jsonb operators) and maps error positions back to the caller text', () => {
    const sql = 'SELECT data ?? ? FROM t WHERE id = ? AND oops'
    const out = translatePlaceholders(sql, pg)
    expect(out.sql).toBe('SELECT data ? $1 FROM t WHERE id = $2 AND oops')
    expect(sql.slice(out.originalOffset(out.sql.indexOf('oops')))).toBe('oops')
    expect(out.originalOffset(out.sql.indexOf('$2'))).toBe(sql.lastIndexOf('?'))
  })

  it("keeps Oracle's q'[…]' strings and uses :n", () => {
    expect(translatePlaceholders("SELECT q'[it's ?]', ? FROM dual", oracle).sql).toBe("SELECT q'[it's ?]', :1 FROM dual")
  })

  it('treats backslash escapes and # comments as MySQL does', () => {
    const out = translatePlaceholders("SELECT 'a\\' ?', `?`, ? # ?\n", { placeholder: 'question', lexer: mysql })
    expect(out.placeholders).toBe(1)
  })
})

describe('splitStatements', () => {
  it('splits on ; in code only, and keeps offsets into the script', () => {
    const sql = "SELECT ';'; -- a ; comment\nINSERT INTO t VALUES ('x;y');\n\n  SELECT 2"
    const parts = splitStatements(sql, {})
    expect(parts.map((p) => p.text)).toEqual(["SELECT ';'", "-- a ; comment\nINSERT INTO t VALUES ('x;y')", 'SELECT 2'])
    for (const p of parts) expect(sql.slice(p.start, p.start + p.text.length)).toBe(p.text)
  })

  it('keeps a trigger body whole, and BEGIN as a transaction elsewhere', () => {
    const sql = 'BEGIN; CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE c SET n = n + 1; INSERT INTO log VALUES (1); END; COMMIT'
    expect(splitStatements(sql, {}).map((p) => p.text)).toEqual(['BEGIN', 'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE c SET n = n + 1; INSERT INTO log VALUES (1); END', 'COMMIT'])
  })

  it('keeps PL/SQL blocks whole up to their / line', () => {
    const sql = "BEGIN\n  IF x THEN y := 1; END IF;\n  INSERT INTO t VALUES (1);\nEND;\n/\nSELECT 1 FROM dual"
    expect(splitStatements(sql, oracle.lexer).map((p) => p.text)).toEqual(['BEGIN\n  IF x THEN y := 1; END IF;\n  INSERT INTO t VALUES (1);\nEND', 'SELECT 1 FROM dual'])
  })

  it('drops empty statements and comment-only tails', () => {
    expect(splitStatements(';; SELECT 1;; -- end', {}).map((p) => p.text)).toEqual(['SELECT 1'])
  })

  it('does not split inside PostgreSQL dollar-quoted function bodies', () => {
    const sql = 'CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql; SELECT f()'
    expect(splitStatements(sql, pg.lexer)).toHaveLength(2)
  })
})

describe('statement kinds', () => {
  it('finds the first keyword past comments and parentheses', () => {
    expect(firstKeyword('/* c */ -- d\n ((select 1))', {})).toBe('SELECT')
    expect(isReaderKeyword('  with x as (select 1) select * from x', {})).toBe(true)
    expect(isReaderKeyword('/* select */ delete from t', {})).toBe(false)
  })

  it('asks before DROP, TRUNCATE and DELETE/UPDATE without a WHERE in code', () => {
    expect(destructiveReason('drop table t', {})).toMatch(/drops/)
    expect(destructiveReason("DELETE FROM t -- WHERE id = 1", {})).toMatch(/every row/)
    expect(destructiveReason("UPDATE t SET a = 'WHERE'", {})).toMatch(/every row/)
    expect(destructiveReason('DELETE FROM t WHERE id = 1', {})).toBeUndefined()
    expect(destructiveReason('SELECT 1', {})).toBeUndefined()
    expect(codeWords("a 'b' c", {})).toEqual(['A', 'C'])
  })
})

describe('splitStatements for Oracle PL/SQL units', () => {
  const sent = (s: string) => splitStatements(s, { oracleQuotes: true }).map((x) => x.text)
  it('DECLARE block whole', () => {
    expect(sent('DECLARE\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;\n/\nSELECT 1 FROM dual;\nSELECT 2 FROM dual')).toEqual(['DECLARE\n  n NUMBER;\nBEGIN\n  n := 1;\nEND', 'SELECT 1 FROM dual', 'SELECT 2 FROM dual'])
  })
  it('procedure with declarations, package spec, body', () => {
    expect(sent('CREATE PROCEDURE p AS\n  n NUMBER;\nBEGIN\n  n := 1;\nEND;\n/\nCREATE OR REPLACE PACKAGE k AS\n  PROCEDURE a;\nEND k;\n/\nCREATE PACKAGE BODY k AS\n  PROCEDURE a IS BEGIN NULL; END;\nEND k;\n/\nSELECT 1 FROM dual')).toEqual([
      'CREATE PROCEDURE p AS\n  n NUMBER;\nBEGIN\n  n := 1;\nEND', 'CREATE OR REPLACE PACKAGE k AS\n  PROCEDURE a;\nEND k', 'CREATE PACKAGE BODY k AS\n  PROCEDURE a IS BEGIN NULL; END;\nEND k', 'SELECT 1 FROM dual'])
  })
  it('slash in a string or comment is not a terminator; statements before a block split on ;', () => {
    expect(sent("SELECT 1 FROM dual;\nINSERT INTO t VALUES ('\n/\n');\nBEGIN NULL; END;\n/\n/* \n/\n */ SELECT 2 FROM dual")).toEqual(['SELECT 1 FROM dual', "INSERT INTO t VALUES ('\n/\n')", 'BEGIN NULL; END', '/* \n/\n */ SELECT 2 FROM dual'])
  })
  it('offsets', () => {
    const s = 'SELECT 1 FROM dual\n/\n  SELECT 2 FROM dual;'
    const r = splitStatements(s, { oracleQuotes: true })
    expect(r.map((x) => s.slice(x.start, x.start + x.text.length))).toEqual(r.map((x) => x.text))
  })
})

describe('statements sent without parameters', () => {
  it('keep ? as it is (jsonb operators in a script), and still read ?? as ?', () => {
    const pg: Pick<SqlDialect, 'placeholder' | 'lexer'> = { placeholder: 'dollar', lexer: { dollarQuotes: true } }
    expect(translatePlaceholders("SELECT data ? 'k', data ?? 'j' FROM t", pg, { parameters: false }).sql).toBe("SELECT data ? 'k', data ? 'j' FROM t")
  })
})

describe("MySQL's executable comments", () => {
  const rules: LexerRules = { backslashEscapes: true, backticks: true, hashComments: true, executableComments: true }
  it('are code: a mysqldump header is a statement, its keyword is seen, its ? is a placeholder', () => {
    expect(splitStatements('/*!40101 SET NAMES utf8 */;\n/*M!100616 SET NOTE_VERBOSITY=0 */;\nSELECT 1', rules).map((s) => s.text)).toEqual(['/*!40101 SET NAMES utf8 */', '/*M!100616 SET NOTE_VERBOSITY=0 */', 'SELECT 1'])
    expect(firstKeyword('/*!50000 DROP TABLE t */', rules)).toBe('DROP')
    expect(isReaderKeyword('/*! DELETE FROM t */', rules)).toBe(false)
    expect(codeWords("SELECT 'x' /*!INTO OUTFILE '/tmp/f' */", rules)).toContain('OUTFILE')
    expect(translatePlaceholders('SELECT /*! ? */ 1', { placeholder: 'dollar', lexer: rules }).placeholders).toBe(1)
  })
  it('stay comments where the server does not run them', () => {
    expect(codeWords("SELECT 1 /*! INTO OUTFILE 'f' */", {})).not.toContain('OUTFILE')
  })
})

describe('the reader fence, keyword by keyword', () => {
  it('lets each reading statement kind through and nothing else', () => {
    for (const sql of ['SELECT 1', 'WITH x AS (SELECT 1) SELECT * FROM x', 'SHOW TABLES', 'EXPLAIN SELECT 1', 'DESCRIBE t', 'DESC t', 'TABLE t', 'VALUES (1)']) {
      expect(isReaderKeyword(sql, {}), sql).toBe(true)
    }
    for (const sql of ['', 'CALL p()', 'SET x = 1', 'DO 1', 'PRAGMA x', 'LOCK TABLES t READ', 'HANDLER t OPEN', 'SELECTX 1']) {
      expect(isReaderKeyword(sql, {}), sql).toBe(false)
    }
  })

  it('names why a statement destroys data, and only when it does', () => {
    expect(destructiveReason('TRUNCATE t', {})).toBe('empties a table')
    expect(destructiveReason('ALTER TABLE t DROP COLUMN c', {})).toBe('drops part of a table')
    expect(destructiveReason('ALTER TABLE t ADD COLUMN c int', {})).toBeUndefined()
    expect(destructiveReason("INSERT INTO t VALUES ('DROP')", {})).toBeUndefined()
    expect(destructiveReason('SELECT drop FROM t', {})).toBeUndefined()
    expect(destructiveReason('DELETE FROM t', {})).toBe('deletes every row (no WHERE)')
    expect(destructiveReason('UPDATE t SET a = 1', {})).toBe('updates every row (no WHERE)')
    expect(destructiveReason('UPDATE t SET a = 1 WHERE id = 2', {})).toBeUndefined()
    expect(destructiveReason('DROP TABLE t', {})).toBe('drops an object')
  })
})

describe('indexInCode', () => {
  it('finds a token where it is code, skipping strings, quoted names and comments', async () => {
    const { indexInCode } = await import('./sql-text')
    const sql = `SELECT 'FORM', "FORM" /* FORM */ -- FORM\n FORM t`
    expect(indexInCode(sql, 'FORM', {})).toBe(sql.lastIndexOf('FORM'))
    expect(indexInCode("SELECT 'x'", 'x', {})).toBe(-1)
    expect(indexInCode('SELECT 1', '', {})).toBe(-1)
    expect(indexInCode('SELECT tt, t FROM x', 't', {})).toBe(11)
  })
})
