import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isInside, isOwnDataFile, isReservedPath, platformDataDir, resolveInDataDir } from './data-dir'

const scratch = mkdtempSync(join(tmpdir(), 'backplane-data-dir-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('isInside', () => {
  it('counts the folder itself and what is below it, nothing above or beside it', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true)
    expect(isInside('/a/b', '/a/b/c/d')).toBe(true)
    expect(isInside('/a/b', '/a')).toBe(false)
    expect(isInside('/a/b', '/a/bc')).toBe(false)
    expect(isInside('/a/b', '/a/c/b')).toBe(false)
    expect(isInside('/a/b', '/')).toBe(false)
  })

  it('takes a name that only starts with two dots as inside', () => {
    expect(isInside('/a/b', '/a/b/..hidden')).toBe(true)
    expect(isInside('/a/b', '/a/b/...')).toBe(true)
  })
})

describe('isReservedPath', () => {
  it("is everything of the data directory but its files/ folder", () => {
    expect(isReservedPath('/d', '/d')).toBe(true)
    expect(isReservedPath('/d', '/d/settings.json')).toBe(true)
    expect(isReservedPath('/d', '/d/engines/x.mjs')).toBe(true)
    expect(isReservedPath('/d', '/d/filesx/a')).toBe(true)
    expect(isReservedPath('/d', '/d/files')).toBe(false)
    expect(isReservedPath('/d', '/d/files/a/b.txt')).toBe(false)
    expect(isReservedPath('/d', '/elsewhere/settings.json')).toBe(false)
  })
})

describe('isOwnDataFile', () => {
  const dataDir = join(scratch, 'home')
  mkdirSync(dataDir)
  writeFileSync(join(dataDir, 'settings.json'), '{}')

  it("is Backplane's files in the data directory, not the databases users keep there", () => {
    for (const own of ['settings.json', 'secrets.enc', 'trusted-engines.json', 'outbox.sqlite3', 'outbox.sqlite3-wal', 'OUTBOX.SQLITE3', 'Settings.JSON', 'notes.txt', 'x.sqlite3-journal']) {
      expect(isOwnDataFile(dataDir, join(dataDir, own)), own).toBe(true)
    }
    for (const db of ['default.sqlite3', 'app.sqlite', 'legacy.db', 'Big.DB', 'files/app.sqlite3']) {
      expect(isOwnDataFile(dataDir, join(dataDir, db)), db).toBe(false)
    }
    expect(isOwnDataFile(dataDir, join(scratch, 'settings.json'))).toBe(false)
  })

  it('follows links, of the file and of the folders on its way', () => {
    const outside = join(scratch, 'outside')
    mkdirSync(outside)
    symlinkSync(join(dataDir, 'settings.json'), join(outside, 'innocent.sqlite3'))
    expect(isOwnDataFile(dataDir, join(outside, 'innocent.sqlite3'))).toBe(true)
    symlinkSync(dataDir, join(outside, 'home-link'))
    expect(isOwnDataFile(dataDir, join(outside, 'home-link', 'outbox.sqlite3'))).toBe(true)
    expect(isOwnDataFile(join(outside, 'home-link'), join(dataDir, 'settings.json'))).toBe(true)
    expect(isOwnDataFile(dataDir, join(outside, 'home-link', 'not-yet', 'deeper', 'settings.json'))).toBe(true)
    expect(isOwnDataFile(dataDir, join(outside, 'not-yet', 'settings.json'))).toBe(false)
  })
})

describe('where the data directory is', () => {
  it('takes a relative path from settings from the data directory, an absolute one as it is', () => {
    expect(resolveInDataDir('/d', 'db.sqlite3')).toBe('/d/db.sqlite3')
    expect(resolveInDataDir('/d', '../x')).toBe('/x')
    expect(resolveInDataDir('/d', '/srv/db.sqlite3')).toBe('/srv/db.sqlite3')
  })

  it("follows the platform's convention", () => {
    expect(platformDataDir('linux', {}, '/home/u')).toBe('/home/u/.local/share/backplane')
    expect(platformDataDir('linux', { XDG_DATA_HOME: '/xdg' }, '/home/u')).toBe('/xdg/backplane')
    expect(platformDataDir('darwin', { XDG_DATA_HOME: '/xdg' }, '/home/u')).toBe('/home/u/Library/Application Support/Backplane')
    expect(platformDataDir('win32', {}, '/home/u')).toBe('/home/u/AppData/Roaming/Backplane')
    expect(platformDataDir('win32', { APPDATA: '/roaming' }, '/home/u')).toBe('/roaming/Backplane')
  })
})
