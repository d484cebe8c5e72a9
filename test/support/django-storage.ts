import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { SYSTEM_PYTHON, requirePythonModule } from './services'

const run = promisify(execFile)

export interface DjangoNameCase {
  name: string
  /** Names already taken in the storage. */
  existing?: string[]
  maxLength?: number
}

/** What one of Django's calls answered: the value, or the exception it raised (SuspiciousFileOperation…). */
export type DjangoResult = { ok: string } | { error: string; message: string }

export interface DjangoNames {
  validName: DjangoResult
  generateFilename: DjangoResult
  /** Django 3.2's get_available_name (keeps the last extension on a clash). */
  availableName: DjangoResult
  /** Current Django's (keeps every suffix), as test/support/django_storage.py reimplements it. */
  availableNameCurrent: DjangoResult
  /** validate_file_name(name, allow_relative_path=True), as save() runs it. */
  validate: DjangoResult
  /** Whether 3.2 and current Django take the same extension of this name. */
  singleExtension: boolean
}

/**
 * Asks Debian's Django (test/support/django_storage.py under /usr/bin/python3) which names it would use.
 * The clash suffix counts (`r000000`, `r000001`… per case) on that side; see deterministicSuffixes.
 */
export async function djangoNames(cases: DjangoNameCase[]): Promise<DjangoNames[]> {
  const child = run(SYSTEM_PYTHON, [join(__dirname, 'django_storage.py')], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 })
  child.child.stdin!.end(JSON.stringify({ cases: cases.map((c) => ({ name: c.name, existing: c.existing ?? [], max_length: c.maxLength ?? null })) }))
  const { stdout } = await child
  return (JSON.parse(stdout) as Record<string, unknown>[]).map((r) => ({
    validName: r.valid_name as DjangoResult,
    generateFilename: r.generate_filename as DjangoResult,
    availableName: r.available_name as DjangoResult,
    availableNameCurrent: r.available_name_current as DjangoResult,
    validate: r.validate as DjangoResult,
    singleExtension: r.single_extension as boolean,
  }))
}

/** The same counting suffix as the Python side, for BaseStorage.getAvailableName's seam (getAlternativeName). */
export function deterministicSuffixes(): (root: string, ext: string) => string {
  let counter = 0
  return (root, ext) => `${root}_r${String(counter++).padStart(6, '0')}${ext}`
}

export function djangoAvailable(title: string): boolean {
  return requirePythonModule('django', 'python3-django', title)
}
