import { sampleLoopLag } from '../../test/support/loop-lag'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { Database as DataBackend } from '../backends/data/base'
import { AUDIT_FILE } from '../services/auth-login'

// Resource abuse through the API on a real app (the embedded model alias, Django's default hashers):
// a 100,000-entry audit export, many logins at once, passwords at the contract's 4096-character bound
// with every hasher, and a page offset of 1e9. The numbers are printed for the report; the assertions
// are generous "the process stays responsive" bounds, not benchmarks.
let test: TestApp
const AUDIT_ROWS = 100_000
const TIMED_PW = 'Timed-Pw-Pangolin-38'

type Login = { user: { username: string } | null; attempts: Array<{ error?: { code: string } }> }
/**
 * auth.authenticate as serve mode dispatches it for a client at `peer`. Each case logs in from a peer of
 * its own: the throttle counts the caller's source, and these are not tests of the throttle.
 */
const loginFrom = (peer: string, input: { username: string; password: string }) => test.app.router.dispatch('auth.authenticate', input, { app: test.app, via: 'http', source: peer }) as Promise<Login>

/** Runs `work` while sampling the main event loop; answers its result and the longest stall seen (ms). */
async function withLag<T>(work: () => Promise<T>): Promise<{ result: T; maxLagMs: number; ms: number }> {
  const { result, worstLagMs, elapsedMs } = await sampleLoopLag(work, 5)
  return { result, maxLagMs: worstLagMs, ms: elapsedMs }
}

beforeAll(async () => {
  test = await openTestApp()
  // The audit store opens its file on first use: fill it beforehand, as months of logins would.
  const db = new Database(join(test.home, AUDIT_FILE))
  db.exec('CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, username TEXT NOT NULL, source TEXT NOT NULL, alias TEXT, outcome TEXT NOT NULL, reason TEXT NOT NULL, ms REAL NOT NULL)')
  const insert = db.prepare('INSERT INTO audit (at, username, source, alias, outcome, reason, ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < AUDIT_ROWS; i++) insert.run(Date.now() - i * 1000, `user-${i % 5000}`, `198.51.100.${i % 250}`, 'default', 'bad-password', `Wrong password for "user-${i % 5000}", "quoted", with, commas`, 1.5)
  })()
  db.close()
}, 60_000)
afterAll(() => test.close())

describe('resource abuse', () => {
  it('exports 100,000 audit entries without stalling the main event loop', async () => {
    const { result, maxLagMs, ms } = await withLag(() => test.app.call('auth.auditExport', { format: 'csv' }))
    console.log(`audit export: ${result.count} rows, ${(result.text.length / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms, main loop stalled ${maxLagMs.toFixed(0)} ms at most`)
    expect(result).toMatchObject({ count: AUDIT_ROWS, truncated: false })
    // Measured 150–550 ms when each 2,000-row batch was formatted in one go; 10–25 ms since it is formatted
    // 250 rows at a time with a turn of the loop between. A generous regression guard, not the target.
    expect(maxLagMs).toBeLessThan(250)
  }, 60_000)

  it('pages the audit log far back without stalling', async () => {
    const { result, maxLagMs } = await withLag(() => test.app.call('auth.audit', { beforeId: 2, limit: 1000 }))
    expect(result.entries.map((e) => e.id)).toEqual([1])
    expect(maxLagMs).toBeLessThan(200)
  })

  it('answers auth.users with an offset of 1e9', async () => {
    expect(await test.app.call('auth.users', { offset: 1_000_000_000, limit: 1000 })).toMatchObject({ users: [] })
  })

  // Should: logins queue for their own hashing slots, so a burst of them does not starve the rest of the process of libuv's thread pool (file reads, DNS, zlib, the settings file).
  it("keeps file reads prompt while 16 logins hash at Django's cost", async () => {
    const settingsFile = join(test.home, 'settings.json')
    const logins = Promise.all(Array.from({ length: 16 }, (_, i) => loginFrom(`burst-src-${i}`, { username: `burst-${i}`, password: 'x' })))
    await new Promise((r) => setTimeout(r, 50))
    const started = performance.now()
    await readFile(settingsFile).catch(() => undefined)
    const readMs = performance.now() - started
    const { maxLagMs, ms } = await withLag(() => logins)
    console.log(`16 parallel unknown-user logins: ${ms.toFixed(0)} ms more; a file read meanwhile took ${readMs.toFixed(0)} ms; main loop stalled ${maxLagMs.toFixed(0)} ms at most`)
    expect(maxLagMs).toBeLessThan(200)
    expect(readMs).toBeLessThan(1000)
  }, 120_000)

  it('takes about as long for an unknown user, a wrong password and an unusable password (printed, not asserted tightly)', async () => {
    await test.app.call('auth.createUser', { username: 'timed', password: TIMED_PW, skipValidation: true })
    await test.app.call('auth.createUser', { username: 'timed-unusable' })
    const time = async (username: string, password: string) => {
      const runs: number[] = []
      for (let i = 0; i < 3; i++) {
        const started = performance.now()
        await loginFrom(`timing-${username}-${i}`, { username, password })
        runs.push(performance.now() - started)
      }
      return Math.round(runs.sort((a, b) => a - b)[1]!)
    }
    const medians = { unknown: await time('timed-nobody', 'wrong'), wrong: await time('timed', 'wrong'), unusable: await time('timed-unusable', 'wrong'), right: await time('timed', TIMED_PW) }
    console.log(`login timing medians (ms): ${JSON.stringify(medians)}`)
    await test.app.call('auth.clearThrottle', {})
    const slowest = Math.max(medians.unknown, medians.wrong, medians.unusable)
    expect(Math.min(medians.unknown, medians.wrong, medians.unusable)).toBeGreaterThan(slowest / 3)
  }, 60_000)

  it('keeps a login password out of the settings file, the health report and the log', async () => {
    await loginFrom('leak-check', { username: 'timed', password: TIMED_PW + '-wrong' })
    const health = await test.app.call('health.check', { kind: 'auth', alias: 'default' })
    const settings = await readFile(join(test.home, 'settings.json'), 'utf8').catch(() => '')
    expect([JSON.stringify(health), settings, JSON.stringify(test.logs)].map((t) => t.includes(TIMED_PW))).toEqual([false, false, false])
  })

  // Should: a stored hash whose parameters scrypt itself refuses (RFC 7914: N < 2^(16·r); here N = 2^20 with r = 1) is a malformed hash (E_BAD_HASH, 422), not Node's raw ERR_CRYPTO_INVALID_SCRYPT_PARAMS turned into E_INTERNAL.
  it('calls a stored scrypt hash with parameters scrypt refuses a bad hash', async () => {
    await test.app.call('auth.createUser', { username: 'odd-scrypt' })
    const db = (await test.app.pool.get('data', 'default')) as DataBackend
    const hash = `scrypt$1048576$saltsalt$1$16$${Buffer.alloc(64, 7).toString('base64')}`
    await db.query('UPDATE auth_user SET password = ? WHERE username = ?', [hash, 'odd-scrypt'])
    const answer = await loginFrom('odd-scrypt', { username: 'odd-scrypt', password: 'x' })
    expect(answer.attempts[0]?.error?.code).toBe('E_BAD_HASH')
  }, 30_000)

  it('signs in with a 4096-character password under every hasher', async () => {
    const long = 'Ω'.repeat(4000) + 'x'.repeat(96)
    const timings: Record<string, number> = {}
    for (const hasher of ['argon2', 'bcrypt_sha256', 'bcrypt', 'scrypt', 'pbkdf2_sha1']) {
      await test.app.call('settings.saveAlias', { kind: 'auth', name: 'default', engine: 'model', options: { createTables: true, hashers: [hasher, 'pbkdf2_sha256'] } })
      await test.app.call('auth.createUser', { username: `long-${hasher}`, password: long, skipValidation: true })
      const { result, ms } = await withLag(() => loginFrom(`long-${hasher}`, { username: `long-${hasher}`, password: long }))
      timings[hasher] = Math.round(ms)
      expect(result.user?.username).toBe(`long-${hasher}`)
      // bcrypt keeps 72 bytes; 'Ω' is two bytes, so the last characters do not count there (as in Django).
      const other = await loginFrom(`long-${hasher}-2`, { username: `long-${hasher}`, password: long.slice(0, -1) + 'y' })
      expect([hasher, other.user === null]).toEqual([hasher, hasher !== 'bcrypt'])
    }
    console.log(`4096-character password logins (ms): ${JSON.stringify(timings)}`)
  }, 120_000)
})
