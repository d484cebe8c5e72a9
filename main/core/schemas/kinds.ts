import { z } from 'zod'

/** The five kinds of backend, and the settings section each lives in (Django's DATABASES, CACHES…). */
export const KINDS = ['mail', 'data', 'cache', 'auth', 'storage'] as const
export const Kind = z.enum(KINDS)
export type Kind = z.infer<typeof Kind>

export const SECTION_OF = {
  mail: 'mail',
  data: 'databases',
  cache: 'caches',
  auth: 'auth',
  storage: 'storages',
} as const satisfies Record<Kind, string>
export type Section = (typeof SECTION_OF)[Kind]

export const KIND_TITLES: Record<Kind, string> = {
  mail: 'Mail',
  data: 'Data',
  cache: 'Cache',
  auth: 'Auth',
  storage: 'Storage',
}

export const AliasName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'Use letters, digits, "_" or "-", starting with a letter or "_" (64 at most).')
export type AliasName = z.infer<typeof AliasName>

/** A pointer from settings into the secret store; the value itself never sits in settings.json. */
export const SecretRef = z.object({ $secret: z.string().min(1) }).strict()
export type SecretRef = z.infer<typeof SecretRef>

export function isSecretRef(value: unknown): value is SecretRef {
  return SecretRef.safeParse(value).success
}

/** A URL option whose password lives in the secret store: the URL without it, and the reference. */
export const SecretUrlRef = z.object({ $secret: z.string().min(1), $url: z.string() }).strict()
export type SecretUrlRef = z.infer<typeof SecretUrlRef>

export function isSecretUrlRef(value: unknown): value is SecretUrlRef {
  return SecretUrlRef.safeParse(value).success
}

/**
 * What the renderer sees where a secret is stored, and sends back to keep it: the secret's path inside
 * the options (`servers/0/password`), never its value or its id in the store. For a URL option,
 * `$url` is the URL without its password. Moving a marker (a server moved up a list) moves its secret.
 */
export const StoredSecret = z.object({ $stored: z.string(), $url: z.string().optional() }).strict()
export type StoredSecret = z.infer<typeof StoredSecret>

export function isStoredSecret(value: unknown): value is StoredSecret {
  return StoredSecret.safeParse(value).success
}

export const SettingsIssue = z.object({
  file: z.string(),
  pointer: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
  kind: Kind.optional(),
  alias: z.string().optional(),
})
export type SettingsIssue = z.infer<typeof SettingsIssue>
