import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { gunzip } from 'node:zlib'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { pyStrip } from './python-text'

const gunzipAsync = promisify(gunzip)
const LIST = join('assets', 'auth', 'common-passwords.txt.gz')

/** Django's list (assets/auth/README.md), in the nearest folder above this file that has it: source or out/main alike. */
function listPath(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, LIST))) return join(dir, LIST)
    if (dirname(dir) === dir) throw new BackplaneError(ErrorCode.E_INTERNAL, `Django's common-password list (${LIST}) is missing from this installation.`)
  }
}

let loaded: Promise<ReadonlySet<string>> | undefined

/** The list, read and unzipped once, off the main thread (zlib runs on the thread pool); stripped as Django strips it. */
export function commonPasswords(): Promise<ReadonlySet<string>> {
  loaded ??= (async () => {
    const text = (await gunzipAsync(await readFile(listPath()))).toString('utf8')
    return new Set(text.split('\n').map(pyStrip))
  })().catch((err: unknown) => {
    // A failed read is not kept: the next call tries again.
    loaded = undefined
    throw err
  })
  return loaded
}
