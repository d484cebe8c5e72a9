/**
 * The most work Backplane will do to check one password. A hash is data (pasted into the inspector,
 * read from a database someone else filled): without bounds, `pbkdf2_sha256$999999999999$…` or an
 * argon2 hash asking for 4 GiB would let one request burn minutes of CPU or exhaust memory. Each bound
 * is well above what Django makes (its defaults in the comments), so real hashes pass; beyond them the
 * hash is refused as E_BAD_HASH before any hashing starts.
 *
 * At each bound one check costs about 1–2 s of one thread. Measured with checkPassword() on the
 * development VM (2 CPUs, Node 20, load average about 5 from other test runs, hence the spread; three
 * runs each): PBKDF2-SHA256 at 5,000,000 iterations 1.3–1.8 s (SHA-1 1.0–2.1 s); bcrypt at 14 rounds
 * 1.1–1.6 s; argon2id at 256 MiB × 8 passes 1.3–2.2 s and 256 MiB (64 MiB × 32 passes 1.2–1.4 s);
 * scrypt at N × r × p = 2^22 1.7–2.2 s (N 2^17, r 8, p 4 needs 128 MiB). At most HASHING_SLOTS hashes
 * run at once (hashing-slots.ts: two with libuv's default pool), so memory stays under 2 × 256 MiB.
 */
export const COST_LIMITS = {
  /** Django 6.0: 1,200,000 (it grows about 20% a release); the bound is about 4 times that. */
  pbkdf2Iterations: 5_000_000,
  /** Django: 12. Each step doubles the work; 14 is 4 times Django's. */
  bcryptRounds: 14,
  /** bcrypt's own floor. */
  bcryptMinRounds: 4,
  /** Django: 102,400 KiB (100 MiB). 256 MiB per check at most. */
  argon2MemoryKiB: 262_144,
  /** Django: 2 passes. */
  argon2TimeCost: 32,
  /** Memory (KiB) × passes, the argon2 work: Django's is 204,800; the bound (256 MiB × 8) is about 10 times that. */
  argon2Work: 2_097_152,
  /** libargon2's and @node-rs/argon2's ceiling for lanes. Django: 8. */
  argon2Parallelism: 255,
  /** Django (argon2-cffi): 16 bytes. */
  argon2MaxHashBytes: 1024,
  /** Django 4.0+: 2**14. */
  scryptWorkFactor: 2 ** 20,
  /** 128 × N × r bytes, scrypt's memory: Django's is 16 MiB; 256 MiB at most. */
  scryptMemoryBytes: 256 * 2 ** 20,
  /** N × r × p, scrypt's work: Django's is 655,360; the bound is about 6 times that. */
  scryptWork: 2 ** 22,
} as const
