import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqlite } from '../../core/sqlite'

const run = promisify(execFile)
const BIN = resolve(__dirname, '../../../bin/backplane.mjs')
const ROWS = 200_000
let home: string
/** Loaded before the CLI: prints the child's peak RSS on exit, so the test can read it. */
let rssProbe: string

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'backplane-export-cli-'))
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ databases: { default: { engine: 'sqlite', options: { name: 'app.sqlite3' } } } }))
  const db = openSqlite(join(home, 'app.sqlite3'))
  db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT);
    INSERT INTO users VALUES (1, 'Ada', 'a, "quoted" note'), (2, 'Zoë', NULL), (3, '', 'x');
    CREATE TABLE big (id INTEGER PRIMARY KEY, label TEXT, padding TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) INSERT INTO big SELECT i, 'row ' || i, hex(randomblob(200)) FROM n;
    CREATE TABLE small AS SELECT * FROM big WHERE id <= 2000;`)
  db.close()
  rssProbe = join(home, 'rss-probe.cjs')
  writeFileSync(rssProbe, "process.on('exit', () => require('node:fs').writeSync(2, `\\nmaxrss-kb=${process.resourceUsage().maxRSS}\\n`))\n")
})
afterAll(() => rmSync(home, { recursive: true, force: true }))

async function backplane(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: home, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BACKPLANE_HOME: home, BACKPLANE_SECRET_STORE: 'file', ...env } })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

function maxRssMB(stderr: string): number {
  return Number(/maxrss-kb=(\d+)/.exec(stderr)![1]) / 1024
}

describe('backplane export data', () => {
  it('writes a table to a CSV file and says how much it wrote', async () => {
    const out = await backplane(['export', 'data', '--alias', 'default', '--table', 'users', '--format', 'csv', '--out', 'users.csv'])
    expect(out).toMatchObject({ code: 0, stdout: '' })
    expect(out.stderr).toMatch(/^Exported 3 rows \(0\.0 MB\) to .*users\.csv in \d+\.\d s\.\n$/)
    expect(readFileSync(join(home, 'users.csv'), 'utf8')).toBe('id,name,note\r\n1,Ada,"a, ""quoted"" note"\r\n2,Zoë,\r\n3,"",x\r\n')
  })

  it('writes a query as JSON lines, the format taken from the file name', async () => {
    const out = await backplane(['export', 'data', '--sql', 'SELECT id, note FROM users WHERE id > 1 ORDER BY id', '--out', 'notes.jsonl'])
    expect(out.code).toBe(0)
    expect(readFileSync(join(home, 'notes.jsonl'), 'utf8')).toBe('{"id":2,"note":null}\n{"id":3,"note":"x"}\n')
  })

  it('writes to standard output with --out -, progress and summary on stderr', async () => {
    const out = await backplane(['export', 'data', '--table', 'users', '--format', 'jsonl', '--out', '-', '--progress'])
    expect(out.code).toBe(0)
    expect(out.stdout.split('\n')).toHaveLength(4)
    expect(JSON.parse(out.stdout.split('\n')[0]!)).toEqual({ id: 1, name: 'Ada', note: 'a, "quoted" note' })
    expect(out.stderr).toContain('Exported 3 rows')
  })

  it('names a bad alias and a missing table with their error codes, writing no file', async () => {
    const alias = await backplane(['export', 'data', '--alias', 'nope', '--table', 'users', '--out', 'nope.csv'])
    expect(alias.code).toBe(1)
    expect(alias.stderr).toMatch(/^backplane: E_ALIAS_NOT_FOUND: No data alias "nope" is configured\.\n {2}hint: /)
    const table = await backplane(['export', 'data', '--table', 'no_such_table', '--out', 'missing.csv'])
    expect(table.code).toBe(1)
    expect(table.stderr).toMatch(/^backplane: E_NOT_FOUND: .*no_such_table/)
    expect(readdirSync(home).filter((f) => f.startsWith('nope') || f.startsWith('missing'))).toEqual([])
  })

  it('explains a wrong command line with exit 2', async () => {
    const wrong = [
      ['export', 'data', '--out', 'x.csv'],
      ['export', 'data', '--table', 'users', '--sql', 'SELECT 1', '--out', 'x.csv'],
      ['export', 'data', '--table', 'users'],
      ['export', 'data', '--table', 'users', '--format', 'xlsx', '--out', 'x.xlsx'],
      ['export', 'cache', '--table', 'users', '--out', 'x.csv'],
    ]
    const answers = await Promise.all(wrong.map((args) => backplane(args)))
    for (const [i, out] of answers.entries()) {
      expect([wrong[i]!.join(' '), out.code]).toEqual([wrong[i]!.join(' '), 2])
      expect(out.stderr).toMatch(/^backplane: .*\n {2}hint: backplane export data/)
    }
    expect((await backplane(['--help'])).stdout).toContain('export data --alias A (--table T [--schema S] | --sql "SELECT …")')
  })

  it(`streams ${ROWS.toLocaleString('en')} rows in about the memory of 2,000`, async () => {
    const env = { NODE_OPTIONS: `--require ${rssProbe}` }
    const small = await backplane(['export', 'data', '--table', 'small', '--out', 'small.csv'], env)
    // A heap that 200,000 rows held at once (with their CSV) would overflow, and streaming leaves room in.
    const big = await backplane(['export', 'data', '--table', 'big', '--out', 'big.csv'], { NODE_OPTIONS: `${env.NODE_OPTIONS} --max-old-space-size=64` })
    expect([small.code, big.code]).toEqual([0, 0])
    expect(readFileSync(join(home, 'big.csv'), 'utf8').split('\r\n')).toHaveLength(ROWS + 2)
    // The file is about 84 MB. Streamed, what is held is two batches of 2,000 rows plus the garbage
    // collector's slack, which varies from run to run (19–40 MB of RSS seen); the heap limit above is the
    // sharp check, this a loose one. bench/data.ts has the real figures.
    expect(maxRssMB(big.stderr) - maxRssMB(small.stderr)).toBeLessThan(80)
  })

  it('cancels on Ctrl-C: the query stops, no file is left, and it exits 130', async () => {
    const child = spawn(process.execPath, [BIN, 'export', 'data', '--sql', 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) SELECT i FROM n', '--out', 'endless.csv', '--progress'], {
      cwd: home,
      env: { ...process.env, BACKPLANE_HOME: home, BACKPLANE_SECRET_STORE: 'file' },
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    // Interrupted once it has written rows (progress comes every 500 ms).
    await expect.poll(() => stderr, { timeout: 15_000 }).toMatch(/rows\/s/)
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stderr).toContain('export cancelled; no file was written')
    expect(existsSync(join(home, 'endless.csv'))).toBe(false)
    expect(existsSync(join(home, 'endless.csv.partial'))).toBe(false)
  })
})
