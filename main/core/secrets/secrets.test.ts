import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { redact } from '../redact'
import { chooseSecretStore } from './choose-secret-store'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backplane-secrets-'))
  process.env.BACKPLANE_SECRET_STORE = 'file'
})
afterEach(() => {
  delete process.env.BACKPLANE_SECRET_STORE
  rmSync(dir, { recursive: true, force: true })
})

describe('the encrypted-file secret store', () => {
  it('keeps values encrypted in a 0600 file, with a warning the GUI shows', async () => {
    const store = chooseSecretStore(dir)
    await store.set('mail.staging.password', 'hunter2-very-secret')
    expect(store.kind).toBe('encrypted-file')
    expect(store.warning).toMatch(/No OS keychain/)
    const file = join(dir, 'secrets.aes-gcm.json')
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
    expect(await chooseSecretStore(dir).get('mail.staging.password')).toBe('hunter2-very-secret')
  })

  it('forgets deleted secrets and keeps concurrent writes', async () => {
    const store = chooseSecretStore(dir)
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`s${i}`, `value-${i}`)))
    await store.delete('s3')
    expect(await store.get('s3')).toBeUndefined()
    expect(await store.get('s9')).toBe('value-9')
  })

  it('says so when a secret cannot be decrypted, instead of returning garbage', async () => {
    const store = chooseSecretStore(dir)
    await store.set('x', 'value')
    writeFileSync(join(dir, 'secret.key'), Buffer.alloc(32, 7))
    await expect(chooseSecretStore(dir).get('x')).rejects.toMatchObject({ code: 'E_SECRET_UNREADABLE' })
  })

  it('masks every secret it has handled in any text that leaves the process', async () => {
    const store = chooseSecretStore(dir)
    await store.set('token', 'tok-5f2a9c')
    expect(redact('connect failed: auth tok-5f2a9c rejected')).toBe('connect failed: auth «redacted» rejected')
    expect(redact('redis://:p4ss@127.0.0.1:6379/0')).toBe('redis://:«redacted»@127.0.0.1:6379/0')
  })
})
