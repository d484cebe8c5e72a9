import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { SYSTEM_PYTHON, requirePythonModule } from './services'

const run = promisify(execFile)

/** One call on Django's cache object; values in Backplane's value model (docs/cache.md, "Values"). */
export type DjangoCacheOp =
  | { op: 'set' | 'add'; key: string; value: unknown; timeout?: number | null; version?: number }
  | { op: 'get' | 'delete' | 'has_key' | 'make_key'; key: string; version?: number }
  | { op: 'touch'; key: string; timeout?: number | null; version?: number }
  | { op: 'incr'; key: string; delta?: number; version?: number }
  | { op: 'get_many'; keys: string[]; version?: number }
  | { op: 'set_many'; values: Record<string, unknown>; timeout?: number | null; version?: number }
  | { op: 'clear' | 'createcachetable' }

/** What each op answered: `ok` with its result (get: `{ value }` or `{ missing: true }`), or Django's exception. */
export type DjangoCacheResult = { ok: unknown } | { error: string; message: string }

/**
 * Runs ops through Django's own cache backend (test/support/django_cache.py under Debian's
 * /usr/bin/python3). `cache` is one CACHES entry (BACKEND, LOCATION, KEY_PREFIX, VERSION, OPTIONS…);
 * `settings` adds Django settings (DATABASES for the database cache; USE_TZ is True unless given).
 */
export async function withDjangoCache(cache: Record<string, unknown>, ops: DjangoCacheOp[], settings: Record<string, unknown> = {}): Promise<DjangoCacheResult[]> {
  const child = run(SYSTEM_PYTHON, [join(__dirname, 'django_cache.py')], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 })
  child.child.stdin!.end(JSON.stringify({ cache, settings, ops }))
  const { stdout } = await child
  return JSON.parse(stdout) as DjangoCacheResult[]
}

/** The result of each op, throwing with Django's message when one failed. */
export async function djangoCache(cache: Record<string, unknown>, ops: DjangoCacheOp[], settings?: Record<string, unknown>): Promise<unknown[]> {
  const results = await withDjangoCache(cache, ops, settings)
  return results.map((result, i) => {
    if ('error' in result) throw new Error(`Django's ${ops[i]!.op} failed: ${result.error}: ${result.message}`)
    return result.ok
  })
}

/** `describe` or `describe.skip` for tests that need Django and the given module (django_redis, pymemcache…). */
export function djangoAvailable(module: string, debianPackage: string, title: string): boolean {
  return requirePythonModule('django', 'python3-django', title) && requirePythonModule(module, debianPackage, title)
}
