import { randomString } from './random-string'

/** Django's UNUSABLE_PASSWORD_PREFIX: set_unusable_password() stores "!" and 40 random characters. */
const UNUSABLE_PREFIX = '!'

/** Django's set_unusable_password(). */
export function unusablePassword(): string {
  return UNUSABLE_PREFIX + randomString(40)
}

/** Django's is_password_usable(), except that no hash at all (null, "") is not a usable one either. */
export function isPasswordUsable(encoded: string | null | undefined): encoded is string {
  return !!encoded && !encoded.startsWith(UNUSABLE_PREFIX)
}
