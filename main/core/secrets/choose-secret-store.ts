import { aesKeyCipher } from './aes-key-cipher'
import { CipherFileStore } from './cipher-file-store'
import { KeyringStore } from './keyring-store'
import type { Cipher, SecretStore } from './secret-store'

const FILE_WARNING =
  'No OS keychain answered, so secrets are kept in an encrypted file whose key sits beside it in the data ' +
  'directory (both 0600). Anyone who can read that folder as you can read them. Start a keyring ' +
  '(GNOME Keyring, KWallet, macOS Keychain) and restart Backplane to use it instead.'

/**
 * The strongest store this process can use: Electron's safeStorage (when the host offers a cipher),
 * else the OS keyring, else an encrypted file with a visible warning.
 * `BACKPLANE_SECRET_STORE=file|keyring` forces one (tests, headless servers).
 */
export function chooseSecretStore(dataDir: string, hostCipher?: Cipher): SecretStore {
  const forced = process.env.BACKPLANE_SECRET_STORE
  if (forced !== 'file') {
    if (hostCipher && forced !== 'keyring') {
      return new CipherFileStore(dataDir, hostCipher, 'safe-storage', "Electron's safeStorage (the OS keychain)")
    }
    const keyring = KeyringStore.probe(dataDir)
    if (keyring) return keyring
  }
  return new CipherFileStore(dataDir, aesKeyCipher(dataDir), 'encrypted-file', 'an encrypted file in the data directory', FILE_WARNING)
}
