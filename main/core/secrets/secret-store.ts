export type SecretStoreKind = 'safe-storage' | 'keyring' | 'encrypted-file'

/**
 * Where secret values live. Settings hold only `{ "$secret": id }`; the value is read here when a
 * backend is built, and it never travels to the renderer.
 */
export interface SecretStore {
  readonly kind: SecretStoreKind
  /** One line for the GUI: where secrets are kept. */
  readonly description: string
  /** Set when the store is weaker than an OS keychain; the GUI shows it. */
  readonly warning?: string
  get(id: string): Promise<string | undefined>
  set(id: string, value: string): Promise<void>
  delete(id: string): Promise<void>
}

/** Turns plaintext into bytes at rest and back; Electron's safeStorage is one, an AES key file another. */
export interface Cipher {
  readonly name: string
  encrypt(plain: string): Buffer
  decrypt(sealed: Buffer): string
}
