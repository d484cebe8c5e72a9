import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { requireTool } from '../../../test/support/services'
import { BackplaneError } from '../errors'
import { checkHostKey, expectedHostKey, fingerprintOf, forgetHostKey, KNOWN_HOSTS_FILE, keyTypeOf, knownHostKey, listKnownHosts, pinHostKey, readKnownHost } from './known-hosts'

const withSshKeygen = requireTool('ssh-keygen', 'openssh-client', 'host key fingerprints against ssh-keygen') ? describe : describe.skip
const FINGERPRINT = `SHA256:${'A'.repeat(43)}`
const OTHER = `SHA256:${'B'.repeat(43)}`

let dataDir: string
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'backplane-known-hosts-'))
})
afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

withSshKeygen('fingerprints', () => {
  it.each(['ed25519', 'rsa', 'ecdsa'])('are the SHA256 fingerprint ssh-keygen -lf prints for an %s key', (type) => {
    const key = join(dataDir, `id_${type}`)
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'test', '-f', key])
    const [algorithm = '', base64 = ''] = readFileSync(`${key}.pub`, 'utf8').trim().split(' ')
    const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1]
    const blob = Buffer.from(base64, 'base64')
    expect(fingerprintOf(blob)).toBe(printed)
    expect(fingerprintOf(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/) // no "=" padding
    expect(keyTypeOf(blob)).toBe(algorithm)
  })
})

describe('the known hosts file', () => {
  it('is unknown for a server never trusted, and the file is not created by reading', async () => {
    expect(await readKnownHost(dataDir, '10.0.0.1', 22)).toBeUndefined()
    expect(readdirSync(dataDir)).toEqual([])
  })

  it('keeps a pinned key by host:port, readable by the owner only', async () => {
    const pinned = await pinHostKey(dataDir, 'DB.Example.test', 2222, FINGERPRINT, 'ssh-ed25519')
    expect(await readKnownHost(dataDir, 'db.example.test', 2222)).toEqual(pinned)
    expect(await readKnownHost(dataDir, 'db.example.test', 22)).toBeUndefined()
    const file = join(dataDir, KNOWN_HOSTS_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      hosts: { 'db.example.test:2222': { fingerprint: FINGERPRINT, keyType: 'ssh-ed25519', addedAt: pinned.addedAt } },
    })
    expect(new Date(pinned.addedAt).getTime()).toBeGreaterThan(Date.now() - 60_000)
  })

  it('writes IPv6 addresses in brackets, so the port cannot be mistaken for part of the address', () => {
    expect(knownHostKey('::1', 22)).toBe('[::1]:22')
    expect(knownHostKey('[::1]', 22)).toBe('[::1]:22')
    expect(knownHostKey(' Host ', 22)).toBe('host:22')
  })

  it('accepts a fingerprint pasted with base64 padding, and refuses what is not a fingerprint', async () => {
    expect((await pinHostKey(dataDir, 'h', 22, ` ${FINGERPRINT}= `, 'ssh-ed25519')).fingerprint).toBe(FINGERPRINT)
    await expect(pinHostKey(dataDir, 'h', 22, 'MD5:aa:bb', 'ssh-ed25519')).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    await expect(pinHostKey(dataDir, 'h', 22, 'MD5:aa:bb', 'ssh-ed25519')).rejects.toBeInstanceOf(BackplaneError)
    expect((await readKnownHost(dataDir, 'h', 22))?.fingerprint).toBe(FINGERPRINT)
  })

  it('replaces the key of a server trusted again, and forgets it on request', async () => {
    await pinHostKey(dataDir, 'h', 22, FINGERPRINT, 'ssh-ed25519')
    await pinHostKey(dataDir, 'other', 22, FINGERPRINT, 'ssh-ed25519')
    await pinHostKey(dataDir, 'h', 22, OTHER, 'ssh-rsa')
    expect(await readKnownHost(dataDir, 'h', 22)).toMatchObject({ fingerprint: OTHER, keyType: 'ssh-rsa' })
    expect(await forgetHostKey(dataDir, 'h', 22)).toBe(true)
    expect(await forgetHostKey(dataDir, 'h', 22)).toBe(false)
    expect(Object.keys(await listKnownHosts(dataDir))).toEqual(['other:22'])
  })

  it('keeps every server when many are trusted at once, and leaves no temporary file behind', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => pinHostKey(dataDir, `host-${i}`, 22, FINGERPRINT, 'ssh-ed25519')))
    expect(Object.keys(await listKnownHosts(dataDir))).toHaveLength(20)
    expect(readdirSync(dataDir)).toEqual([KNOWN_HOSTS_FILE])
  })

  it('replaces the file whole (a new file renamed over the old), so a reader never sees half of it', async () => {
    await pinHostKey(dataDir, 'h', 22, FINGERPRINT, 'ssh-ed25519')
    const before = statSync(join(dataDir, KNOWN_HOSTS_FILE)).ino
    await pinHostKey(dataDir, 'i', 22, FINGERPRINT, 'ssh-ed25519')
    expect(statSync(join(dataDir, KNOWN_HOSTS_FILE)).ino).not.toBe(before)
  })

  it('trusts nobody when the file is damaged, so every server is asked about again', async () => {
    writeFileSync(join(dataDir, KNOWN_HOSTS_FILE), '{"version": 1, "hosts": {"h:22": {"fingerprint": "nonsense"}}}')
    expect(await readKnownHost(dataDir, 'h', 22)).toBeUndefined()
    writeFileSync(join(dataDir, KNOWN_HOSTS_FILE), '{ half')
    expect(await readKnownHost(dataDir, 'h', 22)).toBeUndefined()
  })
})

describe("checking a server's key", () => {
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)])
  const actual = fingerprintOf(blob)

  it('asks about a server nobody trusted, with what the GUI needs to pin it', async () => {
    const error = checkHostKey('1.2.3.4', 22, blob, await expectedHostKey(dataDir, '1.2.3.4', 22, undefined))
    expect(error?.code).toBe('E_HOST_KEY_UNKNOWN')
    expect(error?.status).toBe(409)
    expect(error?.message).toBe(`The SSH server 1.2.3.4:22 is not known yet; its key fingerprint is ${actual} (ssh-ed25519).`)
    expect(error?.details).toEqual({ host: '1.2.3.4', port: 22, fingerprint: actual, keyType: 'ssh-ed25519' })
    expect(error?.hint).toContain('ssh_host_ed25519_key.pub')
  })

  it('accepts the pinned key, and after pinning what the refusal named, the same server', async () => {
    const unknown = checkHostKey('h', 22, blob, undefined)
    const { host, port, fingerprint, keyType } = unknown?.details as { host: string; port: number; fingerprint: string; keyType: string }
    await pinHostKey(dataDir, host, port, fingerprint, keyType)
    expect(checkHostKey('h', 22, blob, await expectedHostKey(dataDir, 'h', 22, undefined))).toBeUndefined()
  })

  it('refuses another key as a possible attack, naming both, and prefers the alias fingerprint over the pin', async () => {
    await pinHostKey(dataDir, 'h', 22, actual, 'ssh-ed25519')
    const expected = await expectedHostKey(dataDir, 'h', 22, FINGERPRINT)
    expect(expected).toEqual({ fingerprint: FINGERPRINT, source: 'alias' })
    const error = checkHostKey('h', 22, blob, expected)
    expect(error?.code).toBe('E_HOST_KEY_MISMATCH')
    expect(error?.status).toBe(502)
    expect(error?.message).toContain(actual)
    expect(error?.message).toContain(FINGERPRINT)
    expect(error?.message).toMatch(/may be an attack/)
    expect(checkHostKey('::1', 22, blob, { fingerprint: OTHER, source: 'known-hosts' })?.message).toMatch(/^The SSH server \[::1\]:22 presented/)
  })
})

describe('fingerprints and key names, exactly', () => {
  it('accepts only a whole SHA256 fingerprint as the pattern', async () => {
    const { FINGERPRINT_PATTERN, normalizeFingerprint } = await import('./known-hosts')
    const good = `SHA256:${'a'.repeat(43)}`
    expect(FINGERPRINT_PATTERN.test(good)).toBe(true)
    expect(FINGERPRINT_PATTERN.test(`x${good}`)).toBe(false)
    expect(FINGERPRINT_PATTERN.test(`${good}b`)).toBe(false)
    expect(normalizeFingerprint(`  ${good}==  `)).toBe(good)
    // Only trailing padding goes: an "=" inside is left for the pattern to refuse.
    expect(normalizeFingerprint(`SHA256:a=b${'c'.repeat(40)}=`)).toBe(`SHA256:a=b${'c'.repeat(40)}`)
  })

  it('keys IPv6 servers in brackets, however they are written, and names them so in messages', async () => {
    const { serverAddress } = await import('./known-hosts')
    expect(knownHostKey('::1', 22)).toBe('[::1]:22')
    expect(knownHostKey('[::1]', 22)).toBe('[::1]:22')
    expect(knownHostKey(' Bastion.Example ', 2222)).toBe('bastion.example:2222')
    expect(serverAddress('::1', 22)).toBe('[::1]:22')
    expect(serverAddress('[::1]', 22)).toBe('[::1]:22')
    expect(serverAddress('host', 22)).toBe('host:22')
  })

  it('writes fingerprints without base64 padding, and names the key type only from a sane blob', () => {
    // 32 bytes hash to 44 base64 characters with one "=", which OpenSSH leaves out.
    expect(fingerprintOf(Buffer.from('x'))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    const blob = (name: string, declared = name.length) => Buffer.concat([Buffer.from([0, 0, 0, declared]), Buffer.from(name), Buffer.alloc(8)])
    expect(keyTypeOf(blob('ssh-ed25519'))).toBe('ssh-ed25519')
    expect(keyTypeOf(Buffer.from([0, 0, 0]))).toBe('unknown')
    expect(keyTypeOf(Buffer.from([0, 0, 0, 0]))).toBe('unknown')
    expect(keyTypeOf(blob('x'.repeat(65)))).toBe('unknown')
    expect(keyTypeOf(blob('x'.repeat(64)))).toBe('x'.repeat(64))
    expect(keyTypeOf(Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('short')]))).toBe('unknown')
    expect(keyTypeOf(Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from('exact')]))).toBe('exact')
  })
})
