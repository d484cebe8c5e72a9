import { randomInt } from 'node:crypto'

/** Django's RANDOM_STRING_CHARS. */
export const RANDOM_STRING_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** Django's get_random_string(): letters and digits from a CSPRNG. */
export function randomString(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += RANDOM_STRING_CHARS[randomInt(RANDOM_STRING_CHARS.length)]
  return out
}
