import { randomInt } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import { resolveInDataDir } from '../../../core/data-dir'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { HealthProbe } from '../../../core/health-probe'
import { inspectFolder, makeDirectory } from '../../../core/make-directory'
import { MailOptions } from '../base'
import { StreamMailBackend } from '../stream-backend'

const FileOptions = MailOptions.extend({
  directory: z.string().min(1).default('sent-mail').describe('Folder for the message files, one file per connection; relative paths start in the data directory (Django: EMAIL_FILE_PATH).'),
})
type FileOptions = z.output<typeof FileOptions>

/**
 * Django's file backend: the console backend writing into a file, one file per connection (each open()),
 * named as Django names it, `YYYYMMDD-HHMMSS-<id>.log` in local time.
 */
export class FileMailBackend extends StreamMailBackend {
  private readonly directory: string
  private file: FileHandle | undefined

  constructor(options: FileOptions, ctx: EngineContext) {
    super(options, ctx)
    this.directory = resolveInDataDir(ctx.dataDir, options.directory)
  }

  override async open(): Promise<boolean> {
    if (this.file) return false
    await this.ensureDirectory()
    for (;;) {
      // Django: "%s-%s.log" % (datetime.now().strftime("%Y%m%d-%H%M%S"), abs(id(self))). Our id is new
      // for every connection, and the file must not exist yet (O_EXCL), so two connections never share one.
      const path = join(this.directory, `${timestamp(new Date())}-${randomInt(2 ** 46, 2 ** 47)}.log`)
      try {
        const file = await open(path, 'ax', 0o644)
        this.file = file
        this.sink = { write: (data) => file.appendFile(data) }
        return true
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw this.notWritable(err)
      }
    }
  }

  override async close(): Promise<void> {
    const file = this.file
    this.file = undefined
    this.sink = undefined
    await file?.close()
  }

  /** The folder writable, or creatable with the first message: a check creates nothing. */
  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    await probe.step('folder', () => this.explained(inspectFolder(this.directory)), (f) => (f.exists ? this.directory : `${this.directory} does not exist yet; the first message creates it`))
  }

  /** As Django's __init__: create the folder, refuse a file in its place, and make sure it is writable. */
  private async ensureDirectory(): Promise<void> {
    await this.explained(makeDirectory(this.directory))
    await this.explained(inspectFolder(this.directory))
  }

  /** The folder's own errors, in the words of this engine (Django's messages). */
  private async explained<T>(work: Promise<T>): Promise<T> {
    try {
      return await work
    } catch (err) {
      if (err instanceof BackplaneError && err.code === ErrorCode.E_NOT_A_DIRECTORY) throw this.notADirectory(err)
      throw this.notWritable(err instanceof BackplaneError ? (err.cause ?? err) : err)
    }
  }

  private notADirectory(cause?: unknown): BackplaneError {
    return new BackplaneError(ErrorCode.E_NOT_A_DIRECTORY, `The path for saving email messages exists, but is not a folder: ${this.directory}`, {
      hint: 'Choose a folder in "directory", or remove the file that has its name.',
      ...(cause === undefined ? {} : { cause }),
    })
  }

  private notWritable(err: unknown): BackplaneError {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error'
    return new BackplaneError(ErrorCode.E_MAIL_FOLDER_NOT_WRITABLE, `Could not write to the folder for saving email messages: ${this.directory} (${code})`, {
      hint: 'Give Backplane write permission on the folder, or choose another one in "directory".',
      cause: err,
    })
  }
}

function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`
}

export const fileEngine = defineEngine({
  kind: 'mail',
  id: 'file',
  title: 'Files',
  description: "Writes every message into a file in a folder, one file per connection, exactly as Django's file backend does. Nothing is sent.",
  options: FileOptions,
  create: (options, ctx) => new FileMailBackend(options, ctx),
})
