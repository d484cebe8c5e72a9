import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { SYSTEM_PYTHON, requirePythonModule } from './services'

const run = promisify(execFile)

/** A user as Django's ORM reads it back (test/support/django_auth.py, user_view). */
export interface DjangoUser {
  id: number
  username: string
  email: string
  first_name: string
  last_name: string
  is_active: boolean
  is_staff: boolean
  is_superuser: boolean
  groups: string[]
  password: string
  date_joined: string
  last_login: string | null
}

/** One call on Django's auth, answered as the comment says. */
export type DjangoAuthOp =
  | { op: 'migrate' } // true
  | { op: 'show_migrations' | 'content_types' } // [app, name][] sorted
  | { op: 'all_permissions' } // [app_label, model, codename, name][] sorted
  | { op: 'sqlite_schema' } // [type, name, sql][] of sqlite_master
  | {
      op: 'create_user'
      username: string
      password?: string | null
      email?: string
      first_name?: string
      last_name?: string
      is_staff?: boolean
      is_superuser?: boolean
      is_active?: boolean
      groups?: string[]
      permissions?: string[]
    } // DjangoUser
  | { op: 'create_group'; name: string; permissions?: string[] } // its id
  | { op: 'user'; username: string } // DjangoUser
  | { op: 'authenticate'; username: string; password: string } // DjangoUser | null
  | { op: 'check_password' | 'set_password'; username: string; password: string } // boolean | the new hash
  | { op: 'permissions'; username: string } // { user, group, all }: sorted "app_label.codename"
  | { op: 'has_perm'; username: string; perm: string } // { has_perm, has_module_perms }
  | { op: 'with_perm'; perm: string; is_active?: boolean | null; include_superusers?: boolean } // usernames, sorted

export interface DjangoAuthSettings {
  /** One DATABASES entry (ENGINE, NAME, USER, PASSWORD, HOST, PORT). */
  database: Record<string, unknown>
  /** PASSWORD_HASHERS by algorithm name; pbkdf2_sha256 alone when left out. */
  hashers?: string[]
  /** PBKDF2 hashers at this many iterations (few, to keep the tests quick; Backplane then upgrades them). */
  pbkdf2Iterations?: number
}

export type DjangoAuthResult = { ok: unknown } | { error: string; message: string }

/** Runs ops through Django's own auth (test/support/django_auth.py under Debian's /usr/bin/python3), each answered or failed. */
export async function withDjangoAuth(settings: DjangoAuthSettings, ops: DjangoAuthOp[]): Promise<DjangoAuthResult[]> {
  const child = run(SYSTEM_PYTHON, [join(__dirname, 'django_auth.py')], { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 })
  child.child.stdin!.end(JSON.stringify({ database: settings.database, hashers: settings.hashers, pbkdf2_iterations: settings.pbkdf2Iterations, ops }))
  const { stdout } = await child
  return JSON.parse(stdout) as DjangoAuthResult[]
}

/** Each op's result, throwing with Django's message when one failed. */
export async function djangoAuth(settings: DjangoAuthSettings, ops: DjangoAuthOp[]): Promise<unknown[]> {
  const results = await withDjangoAuth(settings, ops)
  return results.map((result, i) => {
    if ('error' in result) throw new Error(`Django's ${ops[i]!.op} failed: ${result.error}: ${result.message}`)
    return result.ok
  })
}

/** Whether Django's auth tests can run: Django, with the argon2 and bcrypt modules its hashers import. */
export function djangoAuthAvailable(title: string): boolean {
  return requirePythonModule('django', 'python3-django', title) && requirePythonModule('argon2', 'python3-argon2', title) && requirePythonModule('bcrypt', 'python3-bcrypt', title)
}
