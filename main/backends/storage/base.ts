import { randomInt } from 'node:crypto'
import { Readable } from 'node:stream'
import { z } from 'zod'
import { kindSpec, type Backend, type EngineContext } from '../../core/engine'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { HealthProbe } from '../../core/health-probe'
import type { HealthReport } from '../../core/schemas/health'

export const StorageOptions = z.object({
  baseUrl: z.string().optional().describe('Public URL prefix of stored files (Django: base_url / MEDIA_URL), if they are served.'),
})
export type StorageOptions = z.output<typeof StorageOptions>

export interface StorageEntry {
  /** Full name inside the storage, "/"-separated, no leading slash. */
  name: string
  type: 'file' | 'dir'
  size?: number
  modified?: string
}

export interface StorageListing {
  entries: StorageEntry[]
  cursor: string | null
}

export type StorageContent = Readable | Uint8Array | string

/** Django's Storage API: names in, names out; save() never overwrites, it finds a free name. */
export interface Storage extends Backend {
  save(name: string, content: StorageContent): Promise<string>
  open(name: string): Promise<Readable>
  delete(name: string): Promise<void>
  exists(name: string): Promise<boolean>
  stat(name: string): Promise<StorageEntry>
  list(path: string, options?: { cursor?: string | null; limit?: number }): Promise<StorageListing>
  url(name: string): string | null
}

export function isStorage(backend: Backend): backend is Storage {
  return typeof (backend as Partial<Storage>).save === 'function' && typeof (backend as Partial<Storage>).list === 'function'
}

export const storageKind = kindSpec<Storage>()({
  kind: 'storage',
  methods: ['save', 'open', 'delete', 'exists', 'stat', 'list', 'url'],
  baseOptions: StorageOptions.passthrough(),
})

declare module '../../core/engine' {
  interface BackendKinds {
    storage: Storage
  }
}

/** Thrown by an engine's write() when the name is taken, before it reads any content. */
export class NameTakenError extends BackplaneError {
  constructor(name: string) {
    super(ErrorCode.E_EXISTS, `"${name}" already exists.`)
  }
}

const ALTERNATIVE_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const SAVE_ATTEMPTS = 100

/**
 * What every storage shares: name normalisation and the path traversal guard, Django's
 * get_valid_name() and get_available_name() (the `_abc1234` collision suffix), and the health check.
 */
export abstract class BaseStorage implements Storage {
  constructor(
    protected readonly options: StorageOptions,
    protected readonly ctx: EngineContext,
  ) {}

  /** Writes content under a name that must not exist yet (exclusive create). */
  protected abstract write(name: string, content: StorageContent): Promise<void>
  /** What the storage is, for the health report ("folder /srv/media", "bucket media on s3.example.test"). */
  protected abstract serverVersion(): Promise<string>
  abstract open(name: string): Promise<Readable>
  abstract delete(name: string): Promise<void>
  abstract exists(name: string): Promise<boolean>
  abstract stat(name: string): Promise<StorageEntry>
  abstract list(path: string, options?: { cursor?: string | null; limit?: number }): Promise<StorageListing>

  /**
   * The name a file given as `name` is saved under, before clashes are resolved (Django's
   * generate_filename): its folder kept, its file name cleaned. Override it to file things elsewhere
   * (by date, by user), as Django's upload_to does.
   */
  protected generateFilename(name: string): string {
    const wanted = normalizeName(name)
    const dir = wanted.includes('/') ? wanted.slice(0, wanted.lastIndexOf('/') + 1) : ''
    return dir + getValidName(wanted.slice(dir.length))
  }

  async save(name: string, content: StorageContent): Promise<string> {
    const generated = normalizeName(this.generateFilename(name))
    const dir = generated.includes('/') ? generated.slice(0, generated.lastIndexOf('/') + 1) : ''
    const file = generated.slice(dir.length)
    let candidate = dir + file
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      if (!(await this.exists(candidate))) {
        try {
          await this.write(candidate, content)
          return candidate
        } catch (err) {
          if (!(err instanceof NameTakenError)) throw err
        }
      }
      candidate = dir + alternativeName(file)
    }
    throw new BackplaneError(ErrorCode.E_EXISTS, `Could not find a free name for "${name}".`, { hint: 'Choose another name.' })
  }

  url(name: string): string | null {
    if (this.options.baseUrl === undefined) return null
    const base = this.options.baseUrl.endsWith('/') ? this.options.baseUrl : this.options.baseUrl + '/'
    return base + normalizeName(name).split('/').map(encodeURIComponent).join('/')
  }

  /** Opens and lists; a check creates nothing (no folder, no probe file) in the storage it checks. */
  async check(): Promise<HealthReport> {
    const probe = new HealthProbe('storage', this.ctx.alias, this.ctx.engine)
    probe.version = await probe.step('open', () => this.serverVersion(), (d) => d)
    await probe.step('list', () => this.list('', { limit: 1 }), (page) => (page.entries.length ? undefined : 'empty'))
    await this.checkSteps(probe)
    return probe.report()
  }

  /** Steps of the engine's own (a folder writable, a bucket's permissions), none of which may write. */
  protected async checkSteps(_probe: HealthProbe): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * A storage name: "/"-separated, relative, no "." or ".." segments (a name that climbs out of the
 * storage is an attack or a mistake, never a file: Django raises SuspiciousFileOperation).
 */
export function normalizeName(name: string): string {
  // NUL cuts a path short in the OS; line breaks and other controls, or bidi overrides, make a name say
  // something else on screen than what it is (a folder named with a line break forged a trust dialog).
  // eslint-disable-next-line no-control-regex -- these characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(name)) {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, 'The name holds a control character (NUL, a line break, a bidi override).', { hint: 'Use a name of printable characters.' })
  }
  if (name.length > 4096) throw new BackplaneError(ErrorCode.E_INVALID_NAME, `The name is ${name.length} characters long; at most 4096 are allowed.`)
  const parts = name.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) {
    throw new BackplaneError(ErrorCode.E_PATH_OUTSIDE_ROOT, `"${name}" points outside the storage.`, {
      hint: 'Use a name inside the storage, without ".." segments.',
    })
  }
  return parts.join('/')
}

/** Django's get_valid_filename(): spaces to "_", only letters, digits, "-", "_" and "." kept. */
export function getValidName(name: string): string {
  const valid = name.trim().replace(/ /g, '_').replace(/[^-\p{L}\p{N}_.]/gu, '')
  if (valid === '' || valid === '.' || valid === '..') {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, `Could not derive a file name from "${name}".`, {
      hint: 'Use letters, digits, "-", "_" or ".".',
    })
  }
  return valid
}

/** Django's get_alternative_name(): `root_<7 random>.ext`, where ext is every suffix ("a.tar.gz" keeps ".tar.gz"). */
export function alternativeName(file: string): string {
  const firstDot = file.indexOf('.', 1)
  const root = firstDot === -1 ? file : file.slice(0, firstDot)
  const ext = firstDot === -1 ? '' : file.slice(firstDot)
  let random = ''
  for (let i = 0; i < 7; i++) random += ALTERNATIVE_ALPHABET[randomInt(ALTERNATIVE_ALPHABET.length)]
  return `${root}_${random}${ext}`
}

export function toReadable(content: StorageContent): Readable {
  return content instanceof Readable ? content : Readable.from([typeof content === 'string' ? Buffer.from(content) : content])
}

export async function streamToString(stream: Readable): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array))
  return Buffer.concat(chunks).toString('utf8')
}

/** Pages a sorted listing by the last name shown, so a cursor survives entries added meanwhile. */
export function pageEntries(sorted: StorageEntry[], cursor: string | null | undefined, limit: number): StorageListing {
  const start = cursor ? sorted.findIndex((e) => e.name > cursor) : 0
  if (start === -1) return { entries: [], cursor: null }
  const entries = sorted.slice(start, start + limit)
  const more = start + limit < sorted.length
  return { entries, cursor: more ? (entries.at(-1)?.name ?? null) : null }
}
