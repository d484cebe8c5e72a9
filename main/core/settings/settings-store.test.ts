import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SettingsStore, sectionOf, type AliasValidator } from './settings-store'

// Stands in for engine validation: "locmem" is known and wants a numeric maxEntries ≥ 1.
const validate: AliasValidator = async ({ entry }) => {
  if (!['locmem', 'outbox', 'sqlite', 'model', 'filesystem'].includes(entry.engine)) return [{ path: ['engine'], message: `unknown engine ${entry.engine}` }]
  const max = entry.options?.maxEntries
  if (max !== undefined && !(typeof max === 'number' && max >= 1)) return [{ path: ['options', 'maxEntries'], message: 'must be a number ≥ 1' }]
  return []
}

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backplane-settings-'))
  file = join(dir, 'settings.json')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('settings file', () => {
  it('is created with the five working defaults on first run, readable only by its owner', async () => {
    const store = new SettingsStore(file, validate)
    const snapshot = await store.load()
    expect(snapshot.status).toBe('created')
    expect(snapshot.aliases.map((a) => `${a.kind}/${a.name}:${a.entry.engine}`)).toEqual([
      'mail/default:outbox',
      'data/default:sqlite',
      'cache/default:locmem',
      'auth/default:model',
      'storage/default:filesystem',
    ])
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('loads the valid aliases and lists each invalid one with file, JSON pointer and message', async () => {
    writeFileSync(file, JSON.stringify({ caches: { good: { engine: 'locmem' }, broken: { engine: 'locmem', options: { maxEntries: 0 } }, 'a/b': { engine: 'locmem' }, odd: { engine: 'memcache' } } }))
    const snapshot = await new SettingsStore(file, validate).load()
    const caches = snapshot.aliases.filter((a) => a.kind === 'cache')
    expect(caches.map((a) => [a.name, a.valid])).toEqual([['good', true], ['broken', false], ['odd', false]])
    expect(snapshot.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file, pointer: '/caches/broken/options/maxEntries', message: 'must be a number ≥ 1', severity: 'error' }),
        expect.objectContaining({ file, pointer: '/caches/a~1b', severity: 'error' }),
        expect.objectContaining({ file, pointer: '/caches/odd/engine', message: 'unknown engine memcache' }),
      ]),
    )
  })

  it('keeps an invalid alias exactly as written when another alias is saved', async () => {
    writeFileSync(file, JSON.stringify({ caches: { broken: { engine: 'locmem', options: { maxEntries: 'lots', note: 'keep me' } } } }))
    const store = new SettingsStore(file, validate)
    await store.load()
    await store.update((doc) => {
      sectionOf(doc, 'cache').fresh = { engine: 'locmem' }
    })
    const written = JSON.parse(readFileSync(file, 'utf8'))
    expect(written.caches.broken).toEqual({ engine: 'locmem', options: { maxEntries: 'lots', note: 'keep me' } })
    expect(written.caches.fresh).toEqual({ engine: 'locmem' })
  })

  it('never overwrites a file it cannot parse, and says where it broke', async () => {
    const text = '{\n  "caches": {\n    "default": { "engine": "locmem", }\n  }\n}\n'
    writeFileSync(file, text)
    const store = new SettingsStore(file, validate)
    const snapshot = await store.load()
    expect(snapshot.status).toBe('corrupt')
    expect(snapshot.issues[0]?.message).toMatch(/line 3 column/)
    expect(snapshot.aliases.length).toBe(5) // running on the embedded defaults meanwhile
    await expect(store.update(() => undefined)).rejects.toMatchObject({ code: 'E_SETTINGS_CORRUPT' })
    expect(readFileSync(file, 'utf8')).toBe(text)
  })

  it('backs an unreadable file up before starting fresh, when asked to', async () => {
    writeFileSync(file, 'not json')
    const store = new SettingsStore(file, validate)
    await store.load()
    const { backup } = await store.recover()
    expect(readFileSync(backup!, 'utf8')).toBe('not json')
    expect((await new SettingsStore(file, validate).load()).status).toBe('ok')
  })

  it('refuses to "start fresh" over a readable file, and changes nothing', async () => {
    writeFileSync(file, JSON.stringify({ caches: { default: { engine: 'locmem' }, sessions: { engine: 'locmem' } } }))
    const store = new SettingsStore(file, validate)
    await store.load()
    const before = readFileSync(file, 'utf8')
    await expect(store.recover()).rejects.toMatchObject({ code: 'E_NOT_CORRUPT', status: 409, hint: expect.any(String) })
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(readdirSync(dir)).toEqual(['settings.json'])
    expect(store.snapshot.aliases.some((a) => a.name === 'sessions')).toBe(true)
  })

  it('refuses to recover a file that was fixed by hand since it was loaded as corrupt', async () => {
    writeFileSync(file, 'not json')
    const store = new SettingsStore(file, validate)
    expect((await store.load()).status).toBe('corrupt')
    const fixed = JSON.stringify({ caches: { sessions: { engine: 'locmem' } } })
    writeFileSync(file, fixed)
    await expect(store.recover()).rejects.toMatchObject({ code: 'E_NOT_CORRUPT' })
    expect(readFileSync(file, 'utf8')).toBe(fixed)
    expect(readdirSync(dir)).toEqual(['settings.json'])
  })

  it('keeps an earlier backup when a second recovery lands on the same backup name', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(new Date('2030-01-02T03:04:05.678Z'))
      const taken = `${file}.corrupt-2030-01-02T03-04-05-678Z`
      writeFileSync(taken, 'the first broken file')
      writeFileSync(file, 'the second broken file')
      const store = new SettingsStore(file, validate)
      await store.load()
      const { backup } = await store.recover()
      expect(readFileSync(taken, 'utf8')).toBe('the first broken file')
      expect(backup).not.toBe(taken)
      expect(readFileSync(backup!, 'utf8')).toBe('the second broken file')
      expect(readdirSync(dir).sort()).toEqual(['settings.json', basename(taken), basename(backup!)].sort())
    } finally {
      vi.useRealTimers()
    }
  })

  it('backs up the exact bytes of a file that is not even UTF-8', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x22])
    writeFileSync(file, bytes)
    const store = new SettingsStore(file, validate)
    await store.load()
    const { backup } = await store.recover()
    expect(readFileSync(backup!).equals(bytes)).toBe(true)
  })

  it('leaves no temporary files behind after saving', async () => {
    const store = new SettingsStore(file, validate)
    await store.load()
    for (let i = 0; i < 5; i++) await store.update((doc) => void (sectionOf(doc, 'cache')[`c${i}`] = { engine: 'locmem' }))
    expect(readdirSync(dir)).toEqual(['settings.json'])
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).caches)).toEqual(['default', 'c0', 'c1', 'c2', 'c3', 'c4'])
  })

  it('notices a hand edit and reloads', async () => {
    const store = new SettingsStore(file, validate)
    await store.load()
    const changed = new Promise<number>((resolve) => store.watch((s) => resolve(s.aliases.length)))
    writeFileSync(file, JSON.stringify({ caches: { a: { engine: 'locmem' }, b: { engine: 'locmem' } } }))
    // Sections left out of the file fall back to their defaults: 4 of them, plus the two caches.
    expect(await changed).toBe(6)
    store.close()
  })
})
