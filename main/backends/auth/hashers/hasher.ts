/** One of Django's PASSWORD_HASHERS: encodes, verifies, and knows when a hash is outdated. */
export interface PasswordHasher {
  readonly algorithm: string
  encode(password: string, salt?: string): Promise<string>
  verify(password: string, encoded: string): Promise<boolean>
  /** Django's must_update(): the stored hash uses weaker parameters than today's. */
  mustUpdate(encoded: string): boolean
  describe(encoded: string): Record<string, string | number>
}
