/** A Django hash taken apart: what safe_summary() shows, before masking. */
export interface DecodedHash {
  algorithm: string
  /** The salt as the hasher uses it (argon2's is base64-decoded), null when the format has none. */
  salt: string | null
  /** The digest (bcrypt: the checksum), as stored. */
  hash: string
  /** The cost parameters, named as in Django's safe_summary(): iterations, variety, version, memory cost… */
  parameters: Record<string, string | number>
}

/** One of Django's PASSWORD_HASHERS: encodes, verifies, and knows when a hash is outdated. */
export interface PasswordHasher {
  readonly algorithm: string
  /** False for hashers kept to verify legacy hashes only (md5): they may not make new ones. */
  readonly encodes: boolean
  /** How many characters of the salt Django's safe_summary() leaves unmasked (md5: 2). */
  readonly saltShown: number
  encode(password: string, salt?: string): Promise<string>
  /** Whether the password matches; a malformed hash throws E_BAD_HASH. */
  verify(password: string, encoded: string): Promise<boolean>
  /** Takes the hash apart, checking every field and every cost against its bound (E_BAD_HASH). */
  decode(encoded: string): DecodedHash
  /** Django's must_update(), in words: one line per parameter weaker than today's, none when current. */
  updateReasons(encoded: string): string[]
  mustUpdate(encoded: string): boolean
  /**
   * Django's harden_runtime(): after a wrong password on an outdated hash, spend the work the current
   * parameters would have cost, so the time taken does not tell how old the user's hash is.
   */
  hardenRuntime(password: string, encoded: string): Promise<void>
}
