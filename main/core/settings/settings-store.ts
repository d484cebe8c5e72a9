import { readFile, writeFile } from 'node:fs/promises'
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import { writeFileAtomic } from '../atomic-write'
import { BackplaneError, ErrorCode } from '../errors'
import { SECTION_OF, type Kind, type SettingsIssue } from '../schemas/kinds'
import { embeddedDefaults } from './defaults'
import { jsonPointer } from './json-pointer'
import { isPlainObject, readAliases, type AliasEntry, type ParsedAlias, type SettingsDocument } from './settings-document'

/** Checks one alias against its engine; returns problems as paths inside the alias entry. */
export type AliasValidator = (alias: ParsedAlias) => Promise<{ path: (string | number)[]; message: string }[]>

/** Checks the parts of the document that are not aliases (services); returns problems as paths from the root. */
export type DocumentValidator = (doc: SettingsDocument) => { path: string[]; message: string }[]

export interface LoadedAlias extends ParsedAlias {
  valid: boolean
}

export type SettingsStatus = 'ok' | 'created' | 'corrupt'

export interface SettingsSnapshot {
  file: string
  status: SettingsStatus
  doc: SettingsDocument
  aliases: LoadedAlias[]
  issues: SettingsIssue[]
}

/**
 * settings.json: read leniently (a broken alias is reported, the rest load), written atomically,
 * never overwritten while it cannot be parsed — the user's text is worth more than our defaults.
 */
export class SettingsStore {
  private current: SettingsSnapshot
  private lastWritten: string | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private watcher: FSWatcher | undefined

  constructor(
    readonly file: string,
    private readonly validate: AliasValidator,
    private readonly validateDocument: DocumentValidator = () => [],
  ) {
    this.current = { file, status: 'ok', doc: embeddedDefaults(), aliases: [], issues: [] }
  }

  get snapshot(): SettingsSnapshot {
    return this.current
  }

  alias(kind: Kind, name: string): LoadedAlias | undefined {
    return this.current.aliases.find((a) => a.kind === kind && a.name === name)
  }

  /**
   * Reads and validates the file again after the changes already queued: for something outside settings
   * that decides whether aliases are valid (the trust list), without racing a save in progress.
   */
  revalidate(): Promise<SettingsSnapshot> {
    const next = this.queue.then(() => this.load())
    this.queue = next.catch(() => undefined)
    return next
  }

  async load(): Promise<SettingsSnapshot> {
    let text: string | undefined
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    if (text === undefined) {
      const doc = embeddedDefaults()
      await this.write(doc)
      this.current = await this.evaluate(doc, 'created', [])
      return this.current
    }
    this.lastWritten = text
    const parsed = parseJson(text)
    if (!parsed.ok) {
      const issue: SettingsIssue = {
        file: this.file,
        pointer: '',
        severity: 'error',
        message: `${basename(this.file)} is not valid JSON (${parsed.message}). Running on the embedded defaults; the file is left untouched until you fix it or choose "Back up and start fresh".`,
      }
      this.current = await this.evaluate(embeddedDefaults(), 'corrupt', [issue])
      return this.current
    }
    if (!isPlainObject(parsed.value)) {
      const issue: SettingsIssue = { file: this.file, pointer: '', severity: 'error', message: 'The settings file must hold a JSON object.' }
      this.current = await this.evaluate(embeddedDefaults(), 'corrupt', [issue])
      return this.current
    }
    this.current = await this.evaluate(parsed.value, 'ok', [])
    return this.current
  }

  /**
   * Applies a change to a copy of the document and writes it; the change sees missing sections
   * filled from the defaults, so that editing one alias never drops the defaults of its kind.
   */
  update(change: (doc: SettingsDocument) => void | Promise<void>): Promise<SettingsSnapshot> {
    const next = this.queue.then(async () => {
      if (this.current.status === 'corrupt') {
        throw new BackplaneError(ErrorCode.E_SETTINGS_CORRUPT, `${this.file} cannot be read, so it is not overwritten.`, {
          hint: 'Fix the file by hand and reload, or use "Back up and start fresh" in Settings.',
        })
      }
      const doc = structuredClone(this.current.doc)
      await change(doc)
      await this.write(doc)
      this.current = await this.evaluate(doc, 'ok', [])
      return this.current
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  /**
   * "Back up and start fresh": only for a file that cannot be read. The file is judged again as it is
   * now (a hand fix may have landed since it was loaded); a readable one is refused untouched, since
   * recovering it would drop every alias and orphan their secrets. The old bytes go to a backup of
   * their own before the defaults replace them, so nothing is ever lost.
   */
  recover(): Promise<{ backup: string | undefined; snapshot: SettingsSnapshot }> {
    const next = this.queue.then(async () => {
      const bytes = await readBytes(this.file)
      if (bytes !== undefined && readable(bytes)) {
        throw new BackplaneError(ErrorCode.E_NOT_CORRUPT, `${this.file} can be read, so it is not replaced by the defaults.`)
      }
      const backup = bytes === undefined ? undefined : await writeBackup(this.file, bytes)
      const doc = embeddedDefaults()
      await this.write(doc)
      this.current = await this.evaluate(doc, 'created', [])
      return { backup, snapshot: this.current }
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Reloads when someone edits the file by hand; our own writes are recognised and ignored. */
  watch(onChange: (snapshot: SettingsSnapshot) => void): void {
    let timer: NodeJS.Timeout | undefined
    this.watcher = watch(dirname(this.file), (_event, name) => {
      if (name !== basename(this.file)) return
      clearTimeout(timer)
      timer = setTimeout(() => {
        void readFile(this.file, 'utf8')
          .then(async (text) => {
            if (text === this.lastWritten) return
            onChange(await this.load())
          })
          .catch(() => undefined)
      }, 150)
    })
    this.watcher.unref()
  }

  close(): void {
    this.watcher?.close()
  }

  private async write(doc: SettingsDocument): Promise<void> {
    const text = JSON.stringify(doc, null, 2) + '\n'
    this.lastWritten = text
    await writeFileAtomic(this.file, text, 0o600)
  }

  private async evaluate(doc: SettingsDocument, status: SettingsStatus, issues: SettingsIssue[]): Promise<SettingsSnapshot> {
    const read = readAliases(doc, this.file, embeddedDefaults())
    const all = [...issues, ...read.issues]
    for (const p of this.validateDocument(doc)) all.push({ file: this.file, pointer: jsonPointer(p.path), severity: 'error', message: p.message })
    const aliases: LoadedAlias[] = []
    for (const alias of read.aliases) {
      const problems = await this.validate(alias)
      for (const p of problems) {
        all.push({
          file: this.file,
          pointer: jsonPointer([SECTION_OF[alias.kind], alias.name, ...p.path]),
          severity: 'error',
          kind: alias.kind,
          alias: alias.name,
          message: p.message,
        })
      }
      aliases.push({ ...alias, valid: problems.length === 0 })
    }
    return { file: this.file, status, doc: materialize(doc), aliases, issues: all }
  }
}

/** The document with absent sections filled from the defaults, as the app sees it. */
function materialize(doc: SettingsDocument): SettingsDocument {
  const defaults = embeddedDefaults()
  const out: SettingsDocument = { ...doc }
  for (const section of Object.values(SECTION_OF)) {
    if (!(section in out)) out[section] = defaults[section]
  }
  return out
}

/** The alias map of one kind inside a document being changed. */
export function sectionOf(doc: SettingsDocument, kind: Kind): Record<string, AliasEntry> {
  const key = SECTION_OF[kind]
  const section = doc[key]
  if (!isPlainObject(section)) {
    throw new BackplaneError(ErrorCode.E_SETTINGS_INVALID, `"${key}" in settings is not an object, so its aliases cannot be edited.`, {
      hint: `Fix "${key}" in the settings file first.`,
    })
  }
  return section as Record<string, AliasEntry>
}

async function readBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** What load() accepts: JSON holding an object. */
function readable(bytes: Buffer): boolean {
  const parsed = parseJson(bytes.toString('utf8'))
  return parsed.ok && isPlainObject(parsed.value)
}

/**
 * Writes the exact bytes to `<file>.corrupt-<time>`, or `…-2`, `…-3` when that name is taken: the
 * exclusive flag means an earlier backup is never overwritten (a rename onto it would replace it).
 */
async function writeBackup(file: string, bytes: Buffer): Promise<string> {
  const base = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
  for (let n = 1; ; n++) {
    const backup = n === 1 ? base : `${base}-${n}`
    try {
      await writeFile(backup, bytes, { flag: 'wx', mode: 0o600, flush: true })
      return backup
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (err) {
    const message = (err as Error).message
    const position = /position (\d+)/.exec(message)
    if (position && !/line \d+/.test(message)) {
      const offset = Number(position[1])
      const before = text.slice(0, offset).split('\n')
      return { ok: false, message: `${message}, line ${before.length} column ${(before.at(-1)?.length ?? 0) + 1}` }
    }
    return { ok: false, message }
  }
}
