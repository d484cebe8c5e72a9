import { createHash } from 'node:crypto'
import { Entry } from '@napi-rs/keyring'
import { rememberSecret } from '../redact'
import type { SecretStore } from './secret-store'

/**
 * The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
 * through @napi-rs/keyring: prebuilt, maintained, no libsecret headers needed, unlike keytar.
 * Accounts carry a hash of the data directory so two BACKPLANE_HOMEs never share secrets.
 */
export class KeyringStore implements SecretStore {
  readonly kind = 'keyring' as const
  readonly description = 'the operating system keychain'
  private readonly prefix: string

  private constructor(dataDir: string) {
    this.prefix = createHash('sha256').update(dataDir).digest('hex').slice(0, 12)
  }

  /** Returns a store only if the keychain really answers a write, a read and a delete. */
  static probe(dataDir: string): KeyringStore | undefined {
    const store = new KeyringStore(dataDir)
    try {
      const entry = store.entry('__probe__')
      entry.setPassword('probe')
      const ok = entry.getPassword() === 'probe'
      entry.deletePassword()
      return ok ? store : undefined
    } catch {
      return undefined
    }
  }

  async get(id: string): Promise<string | undefined> {
    const value = this.entry(id).getPassword() ?? undefined
    if (value !== undefined) rememberSecret(value)
    return value
  }

  async set(id: string, value: string): Promise<void> {
    rememberSecret(value)
    this.entry(id).setPassword(value)
  }

  async delete(id: string): Promise<void> {
    try {
      this.entry(id).deletePassword()
    } catch {
      /* already absent */
    }
  }

  private entry(id: string): Entry {
    return new Entry('backplane', `${this.prefix}:${id}`)
  }
}
