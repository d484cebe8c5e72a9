import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deterministicSuffixes, djangoAvailable, djangoNames, type DjangoNameCase, type DjangoNames, type DjangoResult } from '../../../test/support/django-storage'
import { createBackend, testContext } from '../../../test/support/engine-context'
import { BackplaneError } from '../../core/errors'
import { normalizeName, type BaseStorage } from './base'
import { memoryEngine } from './engines/memory'

/**
 * The names Backplane chooses, against Debian's Django 3.2 (get_valid_name, generate_filename,
 * get_available_name, validate_file_name) run on the same input, and against current Django's rule for
 * the clash extension (every suffix), which 3.2 does not have yet.
 */
const CORPUS = [
  // plain, and what get_valid_filename drops
  'report.pdf', 'a b (1).txt', "john's portrait in 2004.jpg", '  leading and trailing  .txt', 'mixed CASE.TXT', "apostrophe's.txt",
  'html<script>.txt', 'semi;colon.txt', 'comma,and=equals.csv', 'hash#tag.txt', 'at@sign.txt', 'plus+minus.txt', 'tilde~.txt',
  '[brackets].txt', '{braces}.txt', 'em—dash.txt', 'dash–en.txt', 'a-b_c.d', '-.txt', '_', '-', '$.txt',
  // letters, digits and marks of other scripts: \w is letters and numbers, never combining marks
  'Grüße.txt', 'naïve café.md', 'e\u0301cole.txt', 'ﬁle.txt', '日本語のファイル.txt', 'Ελληνικά.doc', 'Кириллица.txt', 'עברית.txt',
  'العربية.pdf', '한국어.hwp', 'हिन्दी.txt', '٣٤٥.txt', '²³.txt', 'Ⅻ.txt', '½.txt', 'ǅungla.txt', 'ʰmodifier.txt',
  // emoji: symbols, joiners and flags are not \w
  '😀 smile.png', '👩‍👩‍👧 family.jpg', 'flag 🇫🇷.txt', '😀'.repeat(30) + '.png',
  // where Python's strip() and JavaScript's trim() disagree
  '\ufeff x.txt', '\u0085 x.txt', '\u00a0nbsp\u00a0.txt', '\u3000ideographic space.txt', 'x\u2028y.txt', '\u2003em space\u2003.txt',
  // dots
  'archive.tar.gz', 'photo.JPG', '.bashrc', '..hidden.txt', '...', '.', '..', 'name.', 'name..txt', 'a.b.c.d', '.config.json',
  'v1.2.3-final.tar.bz2', 'trailing.dot.', 'no_extension', '..a.b',
  // folders, separators and traversal
  'folder/file.txt', 'deep/er/file name.txt', 'a\\b\\c.txt', '..\\evil.txt', '../evil.txt', 'a/../b.txt', 'a/./b.txt', 'a//b.txt',
  '/etc/passwd', '/abs.txt', 'dir/', 'dir/.', 'dir/..', './x.txt', '\\\\server\\share\\f.txt', 'sub/.hidden', 'sub/..x',
  // Windows names, which POSIX Django (and Backplane) keep as names
  'CON', 'con.txt', 'NUL.txt', 'COM1', 'LPT1.log', 'aux', 'file:stream.txt', 'what?.txt', 'star*.txt', 'pipe|.txt', 'quote".txt',
  'C:\\Windows\\system32.dll',
  // encoded separators are characters, not escapes
  '%2e%2e%2fetc', 'a%2Fb.txt',
  // very long
  'x'.repeat(300) + '.txt', 'é'.repeat(120) + '.txt',
  // nothing left
  '', '   ', '!!!', '?',
]

const withDjango = djangoAvailable("naming tests against Django's own Storage") ? describe : describe.skip

withDjango("Backplane's names are Django's", () => {
  let django: DjangoNames[]
  const cases: DjangoNameCase[] = CORPUS.map((name) => ({ name }))
  beforeAll(async () => {
    django = await djangoNames(cases)
  }, 60_000)

  it(`has a corpus of ${CORPUS.length} names`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60)
    expect(new Set(CORPUS).size).toBe(CORPUS.length)
  })

  it('cleans a file name as get_valid_name does, refusing where Django raises', async () => {
    const storage = await memory()
    const mismatches = CORPUS.flatMap((name, i) => differs(name, django[i]!.validName, () => storage.getValidName(name)))
    expect(mismatches).toEqual([])
  })

  it('generates the file name generate_filename does, refusing a name that save() would then refuse', async () => {
    const storage = await memory()
    const mismatches = CORPUS.flatMap((name, i) => differs(name, asSaveTakes(django[i]!.generateFilename), () => storage.generateFilename(name), hasControl(name)))
    expect(mismatches).toEqual([])
  })

  it('validates names as validate_file_name(allow_relative_path=True) does', () => {
    // Where Django accepts, the name is one Backplane takes; where it refuses, Backplane refuses too.
    // (An empty dir part is Backplane's root: "a/b" and "a//b" are the same name.)
    const mismatches = CORPUS.flatMap((name, i) => {
      const verdict = django[i]!.validate
      const ours = attempt(() => normalizeName(name))
      if ('ok' in verdict && 'error' in ours && !hasControl(name)) return [`${show(name)}: Django accepts it, Backplane says ${ours.error}`]
      if ('error' in verdict && 'ok' in ours && !isFileRefusal(name)) return [`${show(name)}: Django refuses it (${verdict.message}), Backplane takes "${ours.ok}"`]
      return []
    })
    expect(mismatches).toEqual([])
  })
})

withDjango("Backplane's free names are Django's get_available_name", () => {
  // Names already in normal form (Django checks exists() and counts the length of the name as given).
  const plain = CORPUS.filter((n) => n !== '' && attempt(() => normalizeName(n)).ok === n)
  const cases: DjangoNameCase[] = plain.flatMap((name) => [
    { name },
    { name, existing: [name] },
    { name, existing: [...new Set([name, suffixed(name, 0, false), suffixed(name, 0, true)])] },
    { name, maxLength: 24 },
    { name, existing: [name], maxLength: 30 },
  ])
  let django: DjangoNames[]
  const contexts: ReturnType<typeof testContext>[] = []
  beforeAll(async () => {
    django = await djangoNames(cases)
  }, 60_000)
  afterAll(() => contexts.forEach((c) => c.cleanup()))

  it(`checks ${cases.length} cases`, () => expect(cases.length).toBeGreaterThan(200))

  it("chooses current Django's name (every suffix kept) for each name, taken names and max_length", async () => {
    const mismatches: string[] = []
    for (const [i, c] of cases.entries()) {
      const storage = await memory(contexts, c.existing)
      const ours = await attemptAsync(() => storage.getAvailableName(c.name, c.maxLength))
      mismatches.push(...compare(describeCase(c), django[i]!.availableNameCurrent, ours))
    }
    expect(mismatches).toEqual([])
  })

  it("chooses Django 3.2's very name where the two agree on the extension (one suffix, or none)", async () => {
    const mismatches: string[] = []
    let compared = 0
    for (const [i, c] of cases.entries()) {
      if (!django[i]!.singleExtension) continue
      compared++
      const storage = await memory(contexts, c.existing)
      const ours = await attemptAsync(() => storage.getAvailableName(c.name, c.maxLength))
      mismatches.push(...compare(describeCase(c), django[i]!.availableName, ours))
    }
    expect(compared).toBeGreaterThan(150)
    expect(mismatches).toEqual([])
  })

  it('differs from Django 3.2 on multi-suffix names exactly as current Django does', async () => {
    const i = cases.findIndex((c) => c.name === 'archive.tar.gz' && c.existing?.length === 1)
    expect(django[i]!.availableName).toEqual({ ok: 'archive.tar_r000000.gz' })
    expect(django[i]!.availableNameCurrent).toEqual({ ok: 'archive_r000000.tar.gz' })
    const storage = await memory(contexts, ['archive.tar.gz'])
    expect(await storage.getAvailableName('archive.tar.gz')).toBe('archive_r000000.tar.gz')
  })
})

/** A memory storage holding `existing`, whose clash suffixes count as the Python side's do. */
async function memory(contexts: ReturnType<typeof testContext>[] = [], existing: string[] = []): Promise<BaseStorage> {
  const ctx = testContext('storage')
  contexts.push(ctx)
  const storage = await createBackend<BaseStorage>(memoryEngine, {}, ctx)
  for (const name of existing) await storage.put(name, 'x')
  storage.getAlternativeName = deterministicSuffixes()
  return storage
}

/** The name with the n-th counting suffix, before its last extension (3.2) or all of them (current). */
function suffixed(name: string, n: number, allSuffixes: boolean): string {
  const slash = name.lastIndexOf('/')
  const file = name.slice(slash + 1)
  const stem = file.replace(/^\.+/, '')
  const lead = file.length - stem.length
  const dot = file.endsWith('.') ? -1 : allSuffixes ? stem.indexOf('.') : stem.lastIndexOf('.')
  const cut = dot === -1 ? file.length : lead + dot
  return `${name.slice(0, slash + 1)}${file.slice(0, cut)}_r${String(n).padStart(6, '0')}${file.slice(cut)}`
}

/** generate_filename's answer as save() takes it: an absolute or climbing result is refused there. */
function asSaveTakes(result: DjangoResult): DjangoResult {
  if ('ok' in result && (result.ok.startsWith('/') || result.ok.split('/').includes('..'))) return { error: 'SuspiciousFileOperation', message: `save() refuses "${result.ok}"` }
  return result
}

function differs(name: string, django: DjangoResult, ours: () => string, oursMayRefuse = false): string[] {
  const result = attempt(ours)
  if (oursMayRefuse && 'error' in result) return []
  return compare(show(name), django, result)
}

function compare(what: string, django: DjangoResult, ours: { ok?: string; error?: string }): string[] {
  if ('ok' in django) {
    if (ours.ok === undefined) return [`${what}: Django gives "${django.ok}", Backplane refuses (${ours.error})`]
    const expected = attempt(() => normalizeName(django.ok)).ok ?? django.ok
    return ours.ok === expected ? [] : [`${what}: Django gives "${django.ok}", Backplane "${ours.ok}"`]
  }
  if (ours.ok !== undefined) return [`${what}: Django refuses (${django.error}: ${django.message}), Backplane gives "${ours.ok}"`]
  // Django's SuspiciousFileOperation is Backplane's 400 with a name code.
  return ['E_INVALID_NAME', 'E_PATH_OUTSIDE_ROOT'].includes(ours.error!) ? [] : [`${what}: refused, but with ${ours.error}`]
}

function attempt(run: () => string): { ok?: string; error?: string } {
  try {
    return { ok: run() }
  } catch (err) {
    if (!(err instanceof BackplaneError)) throw err
    return { error: err.code }
  }
}

async function attemptAsync(run: () => Promise<string>): Promise<{ ok?: string; error?: string }> {
  try {
    return { ok: await run() }
  } catch (err) {
    if (!(err instanceof BackplaneError)) throw err
    return { error: err.code }
  }
}

/** Backplane refuses control characters anywhere in a name (Django keeps them in folder names). */
function hasControl(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- what normalizeName refuses
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(name)
}

/** A name Django's validate_file_name refuses for its last part ("", ".", ".."), which Backplane reads as a folder name. */
function isFileRefusal(name: string): boolean {
  const last = name.replace(/\\/g, '/').split('/').at(-1)
  return last === '' || last === '.' || last === '..'
}

function describeCase(c: DjangoNameCase): string {
  return `${show(c.name)}${c.existing?.length ? ` with ${c.existing.length} taken` : ''}${c.maxLength ? ` in ${c.maxLength}` : ''}`
}

function show(name: string): string {
  return JSON.stringify(name.length > 40 ? name.slice(0, 40) + '…' : name)
}

describe('max_length 0, as Django reads it', () => {
  it('keeps a free name (`if max_length` is false) and finds no name for a taken one (everything truncated)', async () => {
    const ctx = testContext('storage')
    try {
      const storage = await createBackend<BaseStorage>(memoryEngine, {}, ctx)
      expect(await storage.getAvailableName('a/free.txt', 0)).toBe('a/free.txt')
      await storage.save('a/taken.txt', 'x')
      await expect(storage.getAvailableName('a/taken.txt', 0)).rejects.toMatchObject({ code: 'E_INVALID_NAME' })
    } finally {
      ctx.cleanup()
    }
  })
})
