import { safeStorage } from 'electron'
import type { Cipher } from '../../core/secrets/secret-store'

/** Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet) as a Cipher; undefined where it cannot encrypt. */
export function safeStorageCipher(): Cipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  // On Linux without a keyring safeStorage falls back to a hard-coded key ("basic_text"): no better
  // than our own encrypted file, so it is not used as if it were a keychain.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined
  return {
    name: 'safe-storage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  }
}
