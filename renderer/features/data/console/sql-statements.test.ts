import { describe, expect, it } from 'vitest'
import { errorRange } from './error-range'
import { leadingKeyword, onlyReads, splitScript, statementAt } from './sql-statements'

const sqlite = { backticks: true, brackets: true }
const postgres = { dollarQuotes: true }
const mysql = { backslashEscapes: true, backticks: true, hashComments: true }

describe('splitting a script into statements', () => {
  it('splits on ; in code only, keeping where each statement is', () => {
    const script = "CREATE TABLE t (a TEXT);\nINSERT INTO t VALUES ('a;b'), (\"c;\");  -- one; two\nSELECT * FROM t /* ; */"
    const spans = splitScript(script, sqlite)
    expect(spans.map((s) => s.text)).toEqual(['CREATE TABLE t (a TEXT)', "INSERT INTO t VALUES ('a;b'), (\"c;\")", '-- one; two\nSELECT * FROM t /* ; */'])
    for (const span of spans) expect(script.slice(span.from, span.to)).toBe(span.text)
  })

  it('keeps a trigger body with its own ; in one statement', () => {
    const script = 'CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM c;\nEND;\nSELECT 1;'
    expect(splitScript(script, sqlite).map((s) => s.text)).toEqual(['CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = n + 1;\n  DELETE FROM c;\nEND', 'SELECT 1'])
  })

  it("knows PostgreSQL's dollar quotes and MySQL's backslash escapes and # comments", () => {
    expect(splitScript('CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END $body$ LANGUAGE plpgsql; SELECT f()', postgres).map((s) => s.text)).toHaveLength(2)
    expect(splitScript("SELECT 'it\\'s; fine'; # a; comment\nSELECT 2", mysql).map((s) => s.text)).toEqual(["SELECT 'it\\'s; fine'", '# a; comment\nSELECT 2'])
  })

  it('leaves out empty statements and ones made of comments only', () => {
    expect(splitScript(';;  SELECT 1;\n-- the end\n', sqlite).map((s) => s.text)).toEqual(['SELECT 1'])
  })
})

describe('the statement under the cursor', () => {
  const script = 'SELECT 1;\nSELECT 2;\n\n\nSELECT 3'
  it('is the one the cursor is in, or right after its ;', () => {
    expect(statementAt(script, 3, sqlite)?.text).toBe('SELECT 1')
    expect(statementAt(script, 9, sqlite)?.text).toBe('SELECT 1')
    expect(statementAt(script, 12, sqlite)?.text).toBe('SELECT 2')
    expect(statementAt(script, script.length, sqlite)?.text).toBe('SELECT 3')
  })

  it('is the next one after blank lines, and the last one at the end', () => {
    expect(statementAt(script, 21, sqlite)?.text).toBe('SELECT 3')
    expect(statementAt('SELECT 1;\n\n', 11, sqlite)?.text).toBe('SELECT 1')
    expect(statementAt('-- nothing', 3, sqlite)).toBeUndefined()
  })
})

describe('what a statement is', () => {
  it('is named by its first keyword', () => {
    expect(leadingKeyword('  -- why\n(select 1)')).toBe('SELECT')
    expect(leadingKeyword('with x as (select 1) select * from x')).toBe('WITH')
  })

  it('only reads when it is a plain query', () => {
    expect(onlyReads('SELECT * FROM t')).toBe(true)
    expect(onlyReads('WITH x AS (SELECT 1) SELECT * FROM x')).toBe(true)
    expect(onlyReads('WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x')).toBe(false)
    expect(onlyReads('SELECT * INTO copy FROM t')).toBe(false)
    expect(onlyReads('INSERT INTO t VALUES (1) RETURNING id')).toBe(false)
  })
})

describe('where a failure is underlined', () => {
  it("is the server's position, as a word", () => {
    const sent = 'SELECT 1;\nSELEC 2'
    expect(errorRange(sent, { statementIndex: 1, message: 'syntax error at or near "SELEC"', position: 10 }, postgres)).toEqual({ from: 10, to: 15 })
  })

  it('is the token SQLite names, inside the failing statement', () => {
    const sent = 'SELECT * FROM t;\nSELECT * FROM t WHERE;'
    expect(errorRange(sent, { statementIndex: 1, message: 'near ";": syntax error' }, sqlite)).toEqual({ from: 17 + 21, to: 17 + 22 })
    const range = errorRange('SELECT 1; SELEC 2', { statementIndex: 1, message: 'near "SELEC": syntax error' }, sqlite)
    expect('SELECT 1; SELEC 2'.slice(range.from, range.to)).toBe('SELEC')
  })

  it('is the whole failing statement when nothing says where', () => {
    const sent = 'SELECT 1;\nINSERT INTO t VALUES (1)'
    const range = errorRange(sent, { statementIndex: 1, message: 'attempt to write a readonly database' }, sqlite)
    expect(sent.slice(range.from, range.to)).toBe('INSERT INTO t VALUES (1)')
  })
})

describe('where a failure names what it is about', () => {
  const cases: [string, string, string][] = [
    ['SELECT nme FROM fruit', 'no such column: nme', 'nme'],
    ['SELECT * FROM frut', 'no such table: main.frut', 'frut'],
    ['SELECT nme FROM fruit', "Unknown column 'nme' in 'field list'", 'nme'],
    ['SELECT * FROM fruit WHERE', "You have an error in your SQL syntax; check the manual near '' at line 1", 'SELECT * FROM fruit WHERE'],
  ]
  it.each(cases)('%s: %s', (sent, message, underlined) => {
    const range = errorRange(sent, { statementIndex: 0, message }, sqlite)
    expect(sent.slice(range.from, range.to)).toBe(underlined)
  })
})
