import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../atomic-write'
import { BackplaneError, ErrorCode } from '../errors'
import { rememberSecret } from '../redact'
import type { Cipher, SecretStore, SecretStoreKind } from './secret-store'

const SecretsFile = z.object({
  version: z.literal(1),
  cipher: z.string(),
  entries: z.record(z.string(), z.string()),
})
type SecretsFile = z.infer<typeof SecretsFile>

/** Secrets sealed by a Cipher, kept in one 0600 JSON file in the data directory. */
export class CipherFileStore implements SecretStore {
  private readonly path: string
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    dataDir: string,
    private readonly cipher: Cipher,
    readonly kind: SecretStoreKind,
    readonly description: string,
    readonly warning?: string,
  ) {
    this.path = join(dataDir, `secrets.${cipher.name}.json`)
  }

  async get(id: string): Promise<string | undefined> {
    const sealed = this.read().entries[id]
    if (sealed === undefined) return undefined
    let value: string
    try {
      value = this.cipher.decrypt(Buffer.from(sealed, 'base64'))
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_SECRET_UNREADABLE, `The secret "${id}" cannot be decrypted.`, {
        cause: err,
        hint: 'Its key changed or the file was edited. Set the secret again in Settings.',
      })
    }
    rememberSecret(value)
    return value
  }

  set(id: string, value: string): Promise<void> {
    rememberSecret(value)
    return this.update((file) => {
      file.entries[id] = this.cipher.encrypt(value).toString('base64')
    })
  }

  delete(id: string): Promise<void> {
    return this.update((file) => {
      delete file.entries[id]
    })
  }

  /** Writes are serialised so two quick saves cannot lose one another's secret. */
  private update(change: (file: SecretsFile) => void): Promise<void> {
    const next = this.queue.then(async () => {
      const file = this.read()
      change(file)
      await writeFileAtomic(this.path, JSON.stringify(file, null, 2), 0o600)
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  private read(): SecretsFile {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, cipher: this.cipher.name, entries: {} }
      throw err
    }
    const parsed = SecretsFile.safeParse(safeJson(text))
    if (!parsed.success) {
      throw new BackplaneError(ErrorCode.E_SECRET_STORE_CORRUPT, `${this.path} is not a valid secrets file.`, {
        hint: 'Move it aside; Backplane starts a new one and you set the secrets again.',
      })
    }
    return parsed.data
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
