/**
 * The most work Backplane will do to check one password. A hash is data (pasted into the inspector,
 * read from a database someone else filled): without bounds, `pbkdf2_sha256$999999999999$…` or an
 * argon2 hash asking for 4 GiB would let one request burn minutes of CPU or exhaust memory. Each bound
 * is far above what Django makes (its defaults in the comments), so real hashes pass; beyond them the
 * hash is refused as E_BAD_HASH before any hashing starts.
 */
export const COST_LIMITS = {
  /** Django 6.0: 1,200,000. About 4 s of one thread at the bound. */
  pbkdf2Iterations: 10_000_000,
  /** Django: 12. Each step doubles the work; 16 is 16 times Django's (about 4 s). */
  bcryptRounds: 16,
  /** bcrypt's own floor. */
  bcryptMinRounds: 4,
  /** Django: 102,400 KiB (100 MiB). 1 GiB per check at most. */
  argon2MemoryKiB: 1_048_576,
  /** Django: 2 passes. */
  argon2TimeCost: 32,
  /** Memory × passes, the argon2 work: Django's is 204,800; the bound is 20 times that. */
  argon2Work: 4_194_304,
  /** libargon2's and @node-rs/argon2's ceiling for lanes. Django: 8. */
  argon2Parallelism: 255,
  /** Django (argon2-cffi): 16 bytes. */
  argon2MaxHashBytes: 1024,
  /** Django 4.0+: 2**14. */
  scryptWorkFactor: 2 ** 20,
  /** 128 × N × r bytes, scrypt's memory: Django's is 16 MiB; 256 MiB at most. */
  scryptMemoryBytes: 256 * 2 ** 20,
  /** N × r × p, scrypt's work: Django's is 655,360; the bound is about 25 times that. */
  scryptWork: 2 ** 24,
} as const
