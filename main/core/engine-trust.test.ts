import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { locateEngineModule } from './engine-module'
import { shellQuote, TrustStore } from './engine-trust'

let dir: string
let store: TrustStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backplane-trust-'))
  store = new TrustStore(dir)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const module = async (name: string, source: string) => {
  writeFileSync(join(dir, name), source)
  return locateEngineModule(`./${name}`, dir)
}

describe('the trust list', () => {
  it('trusts nothing until a module is trusted, and exactly that content after', async () => {
    const m = await module('a.mjs', 'export const a = 1')
    expect(await store.list()).toEqual([])
    expect(await store.isTrusted(m)).toBe(false)
    await store.trust(m)
    expect(await store.isTrusted(m)).toBe(true)
    expect(await store.isTrusted({ ...m, sha256: '0'.repeat(64) })).toBe(false)
    expect(await store.isTrusted({ ...m, file: join(dir, 'b.mjs') })).toBe(false)
    // 0600: only the user reads which modules may run.
    expect(statSync(store.file).mode & 0o777).toBe(0o600)
  })

  it('keeps one entry per file: trusting new content replaces the old hash, others stay', async () => {
    const a = await module('a.mjs', 'export const a = 1')
    const b = await module('b.mjs', 'export const b = 1')
    await store.trust(a)
    await store.trust(b)
    const a2 = await module('a.mjs', 'export const a = 2')
    await store.trust(a2)
    const files = (await store.list()).map((m) => [m.file, m.sha256])
    expect(files).toEqual([
      [b.file, b.sha256],
      [a2.file, a2.sha256],
    ])
    expect(await store.isTrusted(a)).toBe(false)
  })

  it('forgets a file on untrust, saying whether it was trusted', async () => {
    const a = await module('a.mjs', 'export const a = 1')
    const b = await module('b.mjs', 'export const b = 1')
    await store.trust(a)
    await store.trust(b)
    expect(await store.untrust(a.file)).toBe(true)
    expect(await store.untrust(a.file)).toBe(false)
    expect((await store.list()).map((m) => m.file)).toEqual([b.file])
  })

  it('says when a trusted file changed, when it is missing, and trusts nothing from a damaged list', async () => {
    const a = await module('a.mjs', 'export const a = 1')
    const b = await module('b.mjs', 'export const b = 1')
    await store.trust(a)
    await store.trust(b)
    writeFileSync(a.file, 'export const a = 2')
    rmSync(b.file)
    expect(Object.fromEntries((await store.listWithState()).map((m) => [m.file, m.state]))).toEqual({ [a.file]: 'changed', [b.file]: 'missing' })
    const changed = await locateEngineModule('./a.mjs', dir)
    await expect(store.assertTrusted(changed)).rejects.toMatchObject({ code: 'E_ENGINE_UNTRUSTED', message: expect.stringContaining('changed since it was trusted on') })
    for (const damaged of ['{ not json', '{"version": 2, "modules": []}', JSON.stringify({ version: 1, modules: [{ file: a.file, sha256: 'short', spec: 'x', trustedAt: 'x' }] })]) {
      writeFileSync(store.file, damaged)
      expect(await store.list(), damaged).toEqual([])
    }
    writeFileSync(store.file, JSON.stringify({ version: 1, modules: [{ file: a.file, sha256: `${a.sha256}00`, spec: 'x', trustedAt: 'x' }] }))
    expect(await store.list()).toEqual([])
  })

  it('gives the exact command in the hint and the details of a module nobody trusted', async () => {
    const m = await module('my engine.mjs', 'export const a = 1')
    const error = (await store.assertTrusted(m).catch((e: unknown) => e)) as { hint: string; details: { command: string; sha256: string } }
    expect(error.details.command).toBe(`npx backplane engines trust './my engine.mjs'`)
    expect(error.hint).toContain(error.details.command)
    expect(error.details.sha256).toBe(m.sha256)
  })

  it('never trusts a module in the API-writable files/ folder', async () => {
    mkdirSync(join(dir, 'files'))
    writeFileSync(join(dir, 'files', 'x.mjs'), 'export const x = 1')
    const m = await locateEngineModule('./files/x.mjs', dir)
    await expect(store.trust(m)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    await expect(store.assertTrusted(m)).rejects.toMatchObject({ code: 'E_ENGINE_UNTRUSTED', hint: expect.stringContaining('never trusted') })
    expect(() => readFileSync(store.file)).toThrow()
  })

  it('reads a missing list as empty, and any other read failure as a failure', async () => {
    expect(await store.list()).toEqual([])
    mkdirSync(store.file)
    await expect(store.list()).rejects.toMatchObject({ code: 'EISDIR' })
  })
})

describe('shellQuote', () => {
  it('leaves plain arguments alone and quotes the rest so they paste as one argument', () => {
    expect(shellQuote('./x.mjs#X')).toBe('./x.mjs#X')
    expect(shellQuote('a b')).toBe("'a b'")
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('x;rm -rf ~')).toBe("'x;rm -rf ~'")
    expect(shellQuote(' lead')).toBe("' lead'")
    expect(shellQuote('trail ')).toBe("'trail '")
  })
})
