import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cookieFrom, ServeSessions } from './serve-session'

const home = mkdtempSync(join(tmpdir(), 'backplane-sessions-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const tokenDigest = (token: string) => createHash('sha256').update(`backplane serve token\0${token}`).digest('hex')
let n = 0
const file = () => join(home, `sessions-${n++}.json`)

describe('ServeSessions', () => {
  it('works without a file, for as long as the process lives', async () => {
    const sessions = new ServeSessions('t')
    const cookie = `${sessions.cookieName}=${await sessions.create()}`
    expect(sessions.find(cookie)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('loads only well-formed, live sessions of its own token and file version, and writes back only live ones', async () => {
    const path = file()
    const now = 5_000_000
    const good = 'a'.repeat(43)
    const expired = 'b'.repeat(43)
    const stored = (version: number, token: string) =>
      JSON.stringify({
        version,
        token: tokenDigest(token),
        sessions: [null, { hash: sha(good), expiresAt: now + 1000 }, { hash: sha(expired), expiresAt: now }, { hash: 'XYZ', expiresAt: now + 1000 }, { hash: `x${sha('c'.repeat(43))}`, expiresAt: now + 1000 }, { hash: sha('d'.repeat(43)), expiresAt: 'later' }],
      })
    writeFileSync(path, stored(1, 'tok'))
    const sessions = new ServeSessions('tok', path, () => now)
    const cookie = (secret: string) => `${sessions.cookieName}=${secret}`
    expect(sessions.find(cookie(good))).toBe(sha(good))
    for (const secret of [expired, 'c'.repeat(43), 'd'.repeat(43)]) expect(sessions.find(cookie(secret))).toBeUndefined()
    await sessions.create()
    const written = readFileSync(path, 'utf8')
    expect(written.endsWith('}\n')).toBe(true)
    const hashes = (JSON.parse(written) as { sessions: { hash: string }[] }).sessions.map((s) => s.hash)
    expect(hashes).toHaveLength(2)
    expect(hashes).toContain(sha(good))
    expect(hashes).not.toContain(sha(expired))

    writeFileSync(path, stored(2, 'tok'))
    expect(new ServeSessions('tok', path, () => now).find(cookie(good))).toBeUndefined()
    writeFileSync(path, '{ not json')
    expect(new ServeSessions('tok', path, () => now).find(cookie(good))).toBeUndefined()
  })

  it('ignores a cookie too long to be one of its secrets, without hashing it', () => {
    const path = file()
    const long = 'e'.repeat(128)
    const longer = 'e'.repeat(129)
    writeFileSync(path, JSON.stringify({ version: 1, token: tokenDigest('tok'), sessions: [long, longer].map((s) => ({ hash: sha(s), expiresAt: Date.now() + 60_000 })) }))
    const sessions = new ServeSessions('tok', path)
    expect(sessions.find(`${sessions.cookieName}=${long}`)).toBe(sha(long))
    expect(sessions.find(`${sessions.cookieName}=${longer}`)).toBeUndefined()
  })

  it('ends every socket of a revoked session, not one unregistered, and writes nothing for an unknown cookie', async () => {
    const path = file()
    const sessions = new ServeSessions('tok', path)
    const cookie = `${sessions.cookieName}=${await sessions.create()}`
    const session = sessions.find(cookie)!
    const closed: string[] = []
    sessions.onEnd(session, () => closed.push('first'))
    sessions.onEnd(session, () => closed.push('second'))
    const off = sessions.onEnd(session, () => closed.push('gone'))
    off()
    const before = readFileSync(path, 'utf8')
    await sessions.revoke(`${sessions.cookieName}=unknown`)
    expect(readFileSync(path, 'utf8')).toBe(before)
    await sessions.revoke(cookie)
    expect(closed).toEqual(['first', 'second'])
    expect(sessions.find(cookie)).toBeUndefined()
    expect(JSON.parse(readFileSync(path, 'utf8')).sessions).toEqual([])
  })
})

describe('cookieFrom', () => {
  it('finds a cookie by its exact name among others', () => {
    expect(cookieFrom('a=1; name=v; b=2', 'name')).toBe('v')
    expect(cookieFrom(' name = v ', 'name')).toBe('v')
    expect(cookieFrom('namex=v; xname=w', 'name')).toBeUndefined()
    expect(cookieFrom('namex; other=1', 'name')).toBeUndefined()
    expect(cookieFrom(undefined, 'name')).toBeUndefined()
  })
})
