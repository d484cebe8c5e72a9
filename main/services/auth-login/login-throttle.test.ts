import { describe, expect, it } from 'vitest'
import { LoginThrottle, throttleKeys, throttleName } from './login-throttle'

function throttleAt(start = Date.parse('2026-12-01T12:00:00Z')) {
  let now = start
  const throttle = new LoginThrottle({ freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000 }, () => now)
  return { throttle, advance: (ms: number) => (now += ms) }
}

const { user, source } = throttleKeys('ada', '10.0.0.7')

describe('the login throttle', () => {
  it('lets five failures pass, then locks for 1 s, doubling with each failure up to 15 minutes', () => {
    const { throttle, advance } = throttleAt()
    for (let i = 0; i < 5; i++) throttle.recordFailure([user, source])
    expect(throttle.lockedKey([user, source])).toBeUndefined()
    const locks: number[] = []
    for (let i = 0; i < 12; i++) {
      throttle.recordFailure([user, source])
      locks.push(throttle.lockedKey([user])!.retryAfterMs)
    }
    expect(locks).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 900_000, 900_000])
    advance(899_999)
    expect(throttle.lockedKey([user])).toEqual({ key: user, retryAfterMs: 1, lockedUntil: Date.parse('2026-12-01T12:15:00.000Z') })
    advance(1)
    expect(throttle.lockedKey([user, source])).toBeUndefined()
  })

  it('clears the username on a success but keeps what the source tried', () => {
    const { throttle } = throttleAt()
    for (let i = 0; i < 6; i++) throttle.recordFailure([user, source])
    throttle.recordSuccess([user])
    expect(throttle.lockedKey([user])).toBeUndefined()
    expect(throttle.lockedKey([user, source])).toMatchObject({ key: source, retryAfterMs: 1000 })
  })

  it('lists keys newest first with their lock, and clears one key or all', () => {
    const { throttle, advance } = throttleAt()
    for (let i = 0; i < 6; i++) throttle.recordFailure([user])
    advance(10)
    throttle.recordFailure(['user:grace'])
    expect(throttle.locks()).toEqual([
      { key: 'user:grace', failures: 1, lockedUntil: null },
      { key: user, failures: 6, lockedUntil: '2026-12-01T12:00:01.000Z' },
    ])
    expect(throttle.clear('user:nobody')).toBe(0)
    expect(throttle.clear(user)).toBe(1)
    expect(throttle.locks().map((l) => l.key)).toEqual(['user:grace'])
    expect(throttle.clear()).toBe(1)
    expect(throttle.locks()).toEqual([])
  })

  it('forgets a key a day after its last failure, so an old typo locks nobody out', () => {
    const { throttle, advance } = throttleAt()
    for (let i = 0; i < 5; i++) throttle.recordFailure([user])
    advance(24 * 60 * 60_000 + 1)
    throttle.recordFailure([user])
    expect(throttle.lockedKey([user])).toBeUndefined()
    expect(throttle.locks()).toEqual([{ key: user, failures: 1, lockedUntil: null }])
  })

  it('keeps at most 10,000 unlocked keys, forgetting the oldest, so made-up usernames cannot fill memory', () => {
    const { throttle } = throttleAt()
    for (let i = 0; i < 10_050; i++) throttle.recordFailure([`user:u${i}`])
    const keys = throttle.locks().map((l) => l.key)
    expect(keys.length).toBeLessThanOrEqual(10_000)
    expect(keys[0]).toBe('user:u10049')
    expect(keys).not.toContain('user:u0')
  })

  it('never forgets a key that is locked now for room, however many made-up keys come after it', () => {
    const { throttle } = throttleAt()
    for (let i = 0; i < 6; i++) throttle.recordFailure([user, source])
    for (let i = 0; i < 25_000; i++) throttle.recordFailure([`user:flood-${i}`, `source:flood-${i}`])
    expect(throttle.lockedKey([user])).toMatchObject({ key: user })
    expect(throttle.lockedKey([source])).toMatchObject({ key: source })
    expect(throttle.locks().length).toBeLessThanOrEqual(20_002)
  })

  it('keeps usernames and sources in separate tables: a flood of usernames does not push a source out', () => {
    const { throttle } = throttleAt()
    throttle.recordFailure([source])
    for (let i = 0; i < 12_000; i++) throttle.recordFailure([`user:flood-${i}`])
    expect(throttle.locks().find((l) => l.key === source)).toEqual({ key: source, failures: 1, lockedUntil: null })
  })

  it('counts every spelling of a username against one key: case, surrounding spaces, fullwidth forms', () => {
    const { throttle } = throttleAt()
    expect(['MALLORY', ' mallory', 'mallory\t', 'ｍａｌｌｏｒｙ', 'Mallory'].map(throttleName)).toEqual(Array(5).fill('mallory'))
    for (const spelling of ['MALLORY', ' mallory', 'mallory\t', 'ｍａｌｌｏｒｙ', 'Mallory', 'mallory']) throttle.recordFailure([throttleKeys(spelling, 'x').user])
    expect(throttle.lockedKey([throttleKeys('MaLLoRy ', 'x').user])).toMatchObject({ key: 'user:mallory' })
    expect(throttle.clear('user:MALLORY')).toBe(1)
  })

  it('says how many failures a key has left before it locks: none while locked, one after a lock has passed', () => {
    const { throttle, advance } = throttleAt()
    expect(throttle.failuresLeft(source)).toBe(6)
    for (let i = 0; i < 4; i++) throttle.recordFailure([source])
    expect(throttle.failuresLeft(source)).toBe(2)
    throttle.recordFailure([source, source])
    throttle.recordFailure([source])
    expect(throttle.locks()).toEqual([{ key: source, failures: 6, lockedUntil: expect.any(String) }])
    expect(throttle.failuresLeft(source)).toBe(0)
    advance(1000)
    expect(throttle.failuresLeft(source)).toBe(1)
  })
})
