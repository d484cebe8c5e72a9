import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import type { Cipher } from './secret-store'

/**
 * AES-256-GCM with a random key kept in a 0600 file beside the secrets: the last resort when no OS
 * keychain answers. It keeps secrets out of settings.json, backups and screenshots, but anyone who
 * can read the data directory as this user can read them too; the GUI says so.
 */
export function aesKeyCipher(dataDir: string): Cipher {
  const key = loadOrCreateKey(join(dataDir, 'secret.key'))
  return {
    name: 'aes-gcm',
    encrypt(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
      decipher.setAuthTag(sealed.subarray(12, 28))
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

function loadOrCreateKey(path: string): Buffer {
  try {
    const key = readFileSync(path)
    if (key.length === 32) return key
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const key = randomBytes(32)
  writeFileSync(path, key, { mode: 0o600, flag: 'w' })
  chmodSync(path, 0o600)
  return key
}
