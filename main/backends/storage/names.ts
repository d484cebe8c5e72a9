import { randomInt } from 'node:crypto'
import { BackplaneError, ErrorCode } from '../../core/errors'

/**
 * Storage names, as Django reads and makes them: the guard every name passes (normalizeName,
 * validFileName) and Django's naming rules (get_valid_filename, the clash extension, the alternative
 * name), matched against Django itself by django-names.test.ts.
 */

// eslint-disable-next-line no-control-regex -- these characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

/**
 * A storage name: "/"-separated, relative, no "." or ".." segments (a name that climbs out of the
 * storage is an attack or a mistake, never a file: Django raises SuspiciousFileOperation). Backslashes
 * are separators, as Django's validate_file_name reads them; an absolute name is refused as Django
 * refuses it, except "/" alone, which is the root.
 */
export function normalizeName(name: string): string {
  // NUL cuts a path short in the OS; line breaks and other controls, or bidi overrides, make a name say
  // something else on screen than what it is (a folder named with a line break forged a trust dialog).
  // C1 controls count too (U+0085 is a line break, U+009B starts a terminal escape), and so do Unicode's
  // own line and paragraph separators.
  if (CONTROL.test(name)) {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, 'The name holds a control character (NUL, a line break, a bidi override).', { hint: 'Use a name of printable characters.' })
  }
  if (name.length > MAX_NAME) throw new BackplaneError(ErrorCode.E_INVALID_NAME, `The name is ${name.length} characters long; at most ${MAX_NAME} are allowed.`)
  const slashed = name.replace(/\\/g, '/')
  const parts = slashed.split('/').filter((p) => p !== '' && p !== '.')
  const absolute = slashed.startsWith('/') || (process.platform === 'win32' && /^[A-Za-z]:/.test(slashed))
  if (parts.includes('..') || (absolute && parts.length > 0)) {
    throw new BackplaneError(ErrorCode.E_PATH_OUTSIDE_ROOT, `"${name}" points outside the storage.`, {
      hint: 'Use a name relative to the storage, without ".." segments or a leading "/".',
    })
  }
  return parts.join('/')
}

const MAX_NAME = 4096

// eslint-disable-next-line no-control-regex -- what a plain segment lacks: separators, controls, bidi overrides, U+FFFD
const PLAIN_SEGMENT = /^[^/\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]+$/

/**
 * Whether an entry an engine found (a file on disk, an S3 key, an SFTP entry) can be named back exactly:
 * a name that normalizeName would change or refuse ("a\\b" is "a/b", a line break is refused) would act on
 * another file, or on nothing, so listings leave such entries out, as S3 leaves out "a//b".
 */
export function isAddressable(name: string): boolean {
  // Nearly every name a listing finds is one plain segment: that answer needs no normalising (a
  // 100,000-entry folder's names are checked in a few milliseconds rather than a hundred).
  if (name.length <= MAX_NAME && PLAIN_SEGMENT.test(name) && !(process.platform === 'win32' && /^[A-Za-z]:/.test(name))) return name !== '.' && name !== '..'
  try {
    return name !== '' && normalizeName(name) === name && !name.includes('\ufffd')
  } catch {
    return false
  }
}

/**
 * Django's validate_file_name(allow_relative_path=True): as normalizeName, and the last part must be a
 * name ("a/", "a/." and "" are not).
 */
export function validFileName(name: string): string {
  const n = normalizeName(name)
  const last = name.replace(/\\/g, '/').split('/').at(-1) ?? ''
  if (n === '' || last === '' || last === '.' || last === '..') {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, `Could not derive a file name from "${name}".`, { hint: 'Give a file name after the last "/".' })
  }
  return n
}

/** What Python's str.strip() removes: str.isspace() characters, which JavaScript's trim() does not quite share (\x1c-\x1f and \x85 in, \ufeff out). */
const PYTHON_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]'
const PYTHON_STRIP = new RegExp(`^${PYTHON_SPACE}+|${PYTHON_SPACE}+$`, 'gu')

/**
 * Django's get_valid_filename(): stripped, spaces to "_", then only what Python's `[-\w.]` keeps:
 * letters (L*), numbers (N*), "_", "-" and "." (combining marks go, as in Python). A name left empty,
 * "." or ".." is refused (current Django raises; 3.2 returned it).
 */
export function getValidName(name: string): string {
  const valid = name.replace(PYTHON_STRIP, '').replace(/ /g, '_').replace(/[^-\p{L}\p{N}_.]/gu, '')
  if (valid === '' || valid === '.' || valid === '..') {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, `Could not derive a file name from "${name}".`, {
      hint: 'Use letters, digits, "-", "_" or ".".',
    })
  }
  return valid
}

/**
 * The extension Django keeps on a clash: every suffix, as current Django joins pathlib's suffixes
 * ("a.tar.gz" keeps ".tar.gz"; leading dots start no suffix: ".bashrc" has none, "..a.b" has ".b";
 * a name ending in "." has none). Django 3.2 kept only the last (os.path.splitext).
 */
export function extensionOf(file: string): string {
  if (file.endsWith('.')) return ''
  const stem = file.replace(/^\.+/, '')
  const firstDot = stem.indexOf('.')
  return firstDot === -1 ? '' : stem.slice(firstDot)
}

const ALTERNATIVE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** Django's get_alternative_name(): `root_<7 random>ext`, the random part from Django's alphabet. */
export function alternativeName(root: string, ext: string): string {
  let random = ''
  for (let i = 0; i < 7; i++) random += ALTERNATIVE_ALPHABET[randomInt(ALTERNATIVE_ALPHABET.length)]
  return `${root}_${random}${ext}`
}

/** A length as Python's len() counts it: code points, not UTF-16 units (an emoji is one). */
export function codePoints(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}

/** "a/b/c.txt" → { dir: "a/b/", file: "c.txt" }. */
export function splitName(name: string): { dir: string; file: string } {
  const slash = name.lastIndexOf('/')
  return { dir: name.slice(0, slash + 1), file: name.slice(slash + 1) }
}

export function baseName(name: string): string {
  return splitName(name).file
}
