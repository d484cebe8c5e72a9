import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AUDIT_CSV_HEADER, auditCsvRows, auditJsonLines } from './audit-export'
import { AuditStore, type AuditEntry, type NewAuditEntry } from './audit-store'

const open: { store: AuditStore; dir: string }[] = []
afterEach(async () => {
  for (const { store, dir } of open.splice(0)) {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

function auditStore(retention?: number): AuditStore {
  const dir = mkdtempSync(join(tmpdir(), 'backplane-audit-'))
  const store = new AuditStore(join(dir, 'auth-audit.sqlite3'), retention)
  open.push({ store, dir })
  return store
}

const T0 = Date.parse('2026-12-01T12:00:00Z')
const entry = (fields: Partial<NewAuditEntry> = {}): NewAuditEntry => ({ username: 'ada', source: 'desktop', alias: 'default', outcome: 'success', reason: 'Signed in.', ms: 12.34, time: T0, ...fields })

describe('the audit log', () => {
  it('answers newest first, filtered, paged by id, with the total of the filter', async () => {
    const store = auditStore()
    for (let i = 0; i < 5; i++) await store.record(entry({ username: i % 2 ? 'grace' : 'ada', outcome: i % 2 ? 'bad-password' : 'success', time: T0 + i * 1000 }))
    const all = await store.list({}, { limit: 10 })
    expect(all.total).toBe(5)
    expect(all.entries.map((e) => e.id)).toEqual([5, 4, 3, 2, 1])
    expect(all.entries[0]).toEqual({ id: 5, time: '2026-12-01T12:00:04.000Z', username: 'ada', source: 'desktop', alias: 'default', outcome: 'success', reason: 'Signed in.', ms: 12.3 })
    expect(await store.list({ username: 'grace' }, { limit: 10 })).toMatchObject({ total: 2, entries: [{ id: 4 }, { id: 2 }] })
    expect((await store.list({ outcome: 'success', since: '2026-12-01T12:00:01Z', until: '2026-12-01T13:00:02+01:00' }, { limit: 10 })).entries.map((e) => e.id)).toEqual([3])
    const page = await store.list({}, { limit: 2, beforeId: 4 })
    expect(page).toMatchObject({ total: 5, entries: [{ id: 3 }, { id: 2 }] })
    expect(await store.list({ username: "' OR 1=1 --" }, { limit: 10 })).toEqual({ entries: [], total: 0 })
  })

  it('answers the id it wrote, and amends a reason with the words of when the amendment runs', async () => {
    const store = auditStore()
    expect([await store.record(entry()), await store.record(entry())]).toEqual([1, 2])
    let count = 1
    const amended = store.amend(1, () => `refused ${count} times`)
    count = 7
    await amended
    expect((await store.list({}, { limit: 10 })).entries.map((e) => e.reason)).toEqual(['Signed in.', 'refused 7 times'])
  })

  it('finds a source by the caller\'s address whatever label followed it, or by the whole text', async () => {
    const store = auditStore()
    for (const source of ['10.0.0.1', '10.0.0.1 (login tester)', '10.0.0.10', '10.0.0.1(x)', 'x 10.0.0.1 (y)']) await store.record(entry({ source }))
    expect((await store.list({ source: '10.0.0.1' }, { limit: 10 })).entries.map((e) => e.source)).toEqual(['10.0.0.1 (login tester)', '10.0.0.1'])
    expect((await store.list({ source: '10.0.0.1 (login tester)' }, { limit: 10 })).total).toBe(1)
  })

  it('keeps the newest entries up to its retention, pruning as it writes', async () => {
    const store = auditStore(30)
    for (let i = 0; i < 250; i++) await store.record(entry({ username: `u${i}` }))
    const { total, entries } = await store.list({}, { limit: 1000 })
    // Pruned every 100 writes: never more than the retention plus one batch.
    expect(total).toBeLessThanOrEqual(30 + 100)
    expect(total).toBeGreaterThanOrEqual(30)
    expect(entries[0]!.username).toBe('u249')
    await store.prune()
    expect((await store.list({}, { limit: 1000 })).total).toBe(30)
  })

  it('keeps a huge or odd username cut short and as typed, in a file only its owner reads', async () => {
    const store = auditStore()
    await store.record(entry({ username: 'x'.repeat(10_000) }))
    await store.record(entry({ username: 'a\u0000b\u202Ec' }))
    const [odd, huge] = (await store.list({}, { limit: 10 })).entries
    expect(huge!.username).toBe(`${'x'.repeat(200)}…`)
    expect(odd!.username).toBe('a\u0000b\u202Ec')
    expect(statSync(store.file).mode & 0o777).toBe(0o600)
  })

  it('exports at most the number asked, newest first, saying when there were more', async () => {
    const store = auditStore()
    for (let i = 0; i < 4; i++) await store.record(entry())
    const ids = (entries: AuditEntry[]) => entries.map((e) => `${e.id};`).join('')
    expect(await store.export({}, 3, ids)).toEqual({ text: '4;3;2;', count: 3, truncated: true })
    expect(await store.export({}, 4, ids)).toEqual({ text: '4;3;2;1;', count: 4, truncated: false })
    expect(await store.export({ username: 'grace' }, 4, ids)).toEqual({ text: '', count: 0, truncated: false })
  })

  it('makes a large export a batch at a time, so the main thread is never held for long', async () => {
    const store = auditStore()
    await Promise.all(Array.from({ length: 4500 }, () => store.record(entry())))
    const batches: number[] = []
    const { count } = await store.export({}, 100_000, (entries) => (batches.push(entries.length), ''))
    expect(count).toBe(4500)
    expect(batches.length).toBeGreaterThan(1)
    expect(Math.max(...batches)).toBeLessThanOrEqual(2000)
  }, 60_000)

  it('refuses to be used once closed, with a typed error', async () => {
    const store = auditStore()
    await store.record(entry())
    await store.close()
    await expect(store.record(entry())).rejects.toMatchObject({ code: 'E_INTERNAL', message: 'The audit log is closed.' })
  })
})

describe('audit exports', () => {
  const row = (fields: Partial<AuditEntry>): AuditEntry => ({ id: 1, time: '2026-12-01T12:00:00.000Z', username: 'ada', source: 'desktop', alias: null, outcome: 'bad-password', reason: 'Wrong password.', ms: 3.5, ...fields })

  it('writes RFC 4180 CSV, and defuses cells a spreadsheet would run as formulas', () => {
    const csv = AUDIT_CSV_HEADER + auditCsvRows([row({ username: '=HYPERLINK("http://evil")', reason: 'said "no", twice\nreally' }), row({ id: 2, username: '@SUM(A1)', source: '+1', alias: '-x' })])
    expect(csv.split('\r\n')).toEqual([
      'id,time,username,source,alias,outcome,reason,ms',
      `1,2026-12-01T12:00:00.000Z,"'=HYPERLINK(""http://evil"")",desktop,,bad-password,"said ""no"", twice\nreally",3.5`,
      `2,2026-12-01T12:00:00.000Z,'@SUM(A1),'+1,'-x,bad-password,Wrong password.,3.5`,
      '',
    ])
  })

  it('writes one JSON object a line, the values as they are', () => {
    const text = auditJsonLines([row({ username: '=1+1' }), row({ id: 2 })])
    expect(text.split('\n').slice(0, 2).map((l) => JSON.parse(l) as AuditEntry).map((e) => [e.id, e.username])).toEqual([
      [1, '=1+1'],
      [2, 'ada'],
    ])
    expect(text.endsWith('\n')).toBe(true)
  })
})
