import { randomString, RANDOM_STRING_CHARS } from './random-string'

// Django's BasePasswordHasher.salt_entropy.
const SALT_ENTROPY_BITS = 128
const BITS_PER_CHAR = Math.log2(RANDOM_STRING_CHARS.length)
/** 22 characters of a 62-letter alphabet carry Django's 128 bits. */
export const SALT_LENGTH = Math.ceil(SALT_ENTROPY_BITS / BITS_PER_CHAR)

/** Django's BasePasswordHasher.salt(). */
export function randomSalt(): string {
  return randomString(SALT_LENGTH)
}

/** Django's must_update_salt(): the salt carries less than 128 bits, counted as Django does (by its length). */
export function saltTooShort(salt: string): boolean {
  return salt.length * BITS_PER_CHAR < SALT_ENTROPY_BITS
}

export function saltReason(salt: string): string[] {
  return saltTooShort(salt) ? [`the salt has ${salt.length} characters, fewer than the ${SALT_LENGTH} Django makes (128 bits)`] : []
}

/** Django's mask_hash(): the first `show` characters, then one "*" per character hidden. */
export function maskHash(value: string, show = 6): string {
  return value.slice(0, show) + '*'.repeat(Math.max(0, value.length - show))
}
