import { z } from 'zod'
import { AuthOptions } from '../base'
import { toBackplaneError } from '../../../core/errors'
import { DEFAULT_HASHERS, resolveHashers } from '../hashers'

// Django's hasher classes, so that a project's PASSWORD_HASHERS can be pasted as it is.
const DJANGO_CLASSES: Readonly<Record<string, string>> = {
  PBKDF2PasswordHasher: 'pbkdf2_sha256',
  PBKDF2SHA1PasswordHasher: 'pbkdf2_sha1',
  Argon2PasswordHasher: 'argon2',
  BCryptSHA256PasswordHasher: 'bcrypt_sha256',
  BCryptPasswordHasher: 'bcrypt',
  ScryptPasswordHasher: 'scrypt',
  MD5PasswordHasher: 'md5',
  SHA1PasswordHasher: 'sha1',
  UnsaltedMD5PasswordHasher: 'unsalted_md5',
  UnsaltedSHA1PasswordHasher: 'unsalted_sha1',
  CryptPasswordHasher: 'crypt',
}

/** "argon2", or Django's "django.contrib.auth.hashers.Argon2PasswordHasher", as the algorithm's name. */
function hasherName(entry: string): string {
  return DJANGO_CLASSES[entry.slice(entry.lastIndexOf('.') + 1)] ?? entry
}

/** Django's PASSWORD_HASHERS, checked as the hashers module takes them (known names, a hasher for new passwords first). */
const Hashers = z
  .array(z.string().max(200).transform(hasherName))
  .default([...DEFAULT_HASHERS])
  .superRefine((names, ctx) => {
    try {
      resolveHashers(names)
    } catch (err) {
      const error = toBackplaneError(err)
      ctx.addIssue({ code: 'custom', message: `${error.message}${error.hint ? ` ${error.hint}` : ''}` })
    }
  })

export const ModelOptions = AuthOptions.extend({
  database: z.string().default('default').describe("Database alias holding Django's auth tables (auth_user, auth_group, auth_permission, …)."),
  createTables: z
    .boolean()
    .default(false)
    .describe("Create the auth tables when missing (SQLite only), as Django's migrate would. Leave off for a Django project's database: run its migrate instead."),
  hashers: Hashers.describe("Django's PASSWORD_HASHERS, by algorithm name (pbkdf2_sha256, argon2, …) or class path: the first hashes new passwords and upgrades others on login, all of them verify."),
})
export type ModelOptions = z.output<typeof ModelOptions>
