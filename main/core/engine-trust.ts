import { readFile } from 'node:fs/promises'
import { sha256 } from './engine-module'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from './atomic-write'
import { DEFAULT_FILES_FOLDER, isInside } from './data-dir'
import type { EngineModule } from './engine-module'
import { BackplaneError, ErrorCode } from './errors'

/** Decides whether a located module may be imported. The app's policy is the trust list. */
export interface TrustPolicy {
  /** Throws E_ENGINE_UNTRUSTED unless this exact content may run. */
  assertTrusted(module: EngineModule): Promise<void>
  /** The command that trusts a module, for the hints of errors that ask for it. */
  commandFor?(spec: string): string
}

export const TrustedModule = z.object({
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  spec: z.string(),
  trustedAt: z.string(),
})
export type TrustedModule = z.infer<typeof TrustedModule>

const TrustFile = z.object({ version: z.literal(1), modules: z.array(TrustedModule) })

export const TRUST_FILE = 'trusted-engines.json'

/**
 * The user's list of custom engine modules allowed to run, each by path and SHA-256 of its content,
 * in the data directory (0600), as `direnv allow` or VS Code's workspace trust: the API is reachable
 * by the renderer and by any holder of the serve token, so no input of it may become code. Only the
 * command line (`backplane engines trust`) and a main-process dialog write it. It is read afresh on
 * every check, so trusting takes effect in a running app at once, and an edited file is untrusted
 * again because its hash no longer matches.
 */
export class TrustStore implements TrustPolicy {
  readonly file: string
  private readonly filesFolder: string

  constructor(
    private readonly dataDir: string,
    /** The command that trusts a module here; the app knows whether that needs --home. */
    readonly commandFor: (spec: string) => string = (spec) => `npx backplane engines trust ${shellQuote(spec)}`,
  ) {
    this.file = join(dataDir, TRUST_FILE)
    this.filesFolder = join(dataDir, DEFAULT_FILES_FOLDER)
  }

  /** The default storage folder is written through the API: code there is whatever the API last wrote. */
  private inApiWritableFolder(file: string): boolean {
    return isInside(this.filesFolder, file)
  }

  async list(): Promise<TrustedModule[]> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const parsed = TrustFile.safeParse(safeJson(text))
    // A damaged list trusts nothing: failing closed is the point of it.
    return parsed.success ? parsed.data.modules : []
  }

  /** Each trusted module with whether the file on disk is still the content that was trusted. */
  async listWithState(): Promise<(TrustedModule & { state: 'trusted' | 'changed' | 'missing' })[]> {
    return Promise.all(
      (await this.list()).map(async (m) => {
        let state: 'trusted' | 'changed' | 'missing'
        try {
          state = sha256(await readFile(m.file)) === m.sha256 ? 'trusted' : 'changed'
        } catch {
          state = 'missing'
        }
        return { ...m, state }
      }),
    )
  }

  async isTrusted(module: Pick<EngineModule, 'file' | 'sha256'>): Promise<boolean> {
    return (await this.list()).some((m) => m.file === module.file && m.sha256 === module.sha256)
  }

  async assertTrusted(module: EngineModule): Promise<void> {
    const modules = await this.list()
    if (modules.some((m) => m.file === module.file && m.sha256 === module.sha256)) return
    const known = modules.find((m) => m.file === module.file)
    const why = known ? `it changed since it was trusted on ${known.trustedAt.slice(0, 10)}` : 'it has not been trusted'
    const message = `The engine module ${module.file} was not loaded: ${why}. Custom engines run with Backplane's own rights, so only code you trust may run.`
    if (this.inApiWritableFolder(module.file)) {
      throw new BackplaneError(ErrorCode.E_ENGINE_UNTRUSTED, message, {
        hint: `It sits in ${this.filesFolder}, which the default storage alias (and so the API) can write: such a module is never trusted. If you wrote it, move it into ${join(this.dataDir, 'engines')} and trust it there.`,
        details: { file: module.file, sha256: module.sha256, spec: module.spec },
      })
    }
    throw new BackplaneError(ErrorCode.E_ENGINE_UNTRUSTED, message, {
      hint: `Read it, then trust this exact content with: ${this.commandFor(module.spec)}`,
      details: { file: module.file, sha256: module.sha256, spec: module.spec, command: this.commandFor(module.spec) },
    })
  }

  /** Refuses a module that may never be trusted, before anyone is asked about it. */
  assertTrustable(module: Pick<EngineModule, 'file'>): void {
    if (this.inApiWritableFolder(module.file)) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `${module.file} is in ${this.filesFolder}, which the default storage alias (and so the API) can write; a module there is never trusted.`, {
        hint: `Move it into ${join(this.dataDir, 'engines')} (or anywhere outside files/), then trust it there.`,
      })
    }
  }

  /** Records the module's current content as trusted, replacing an older hash of the same file. */
  async trust(module: EngineModule): Promise<TrustedModule> {
    this.assertTrustable(module)
    const entry: TrustedModule = { file: module.file, sha256: module.sha256, spec: module.spec, trustedAt: new Date().toISOString() }
    const modules = (await this.list()).filter((m) => m.file !== module.file)
    modules.push(entry)
    await this.write(modules)
    return entry
  }

  /** Forgets a file; returns whether it was trusted. */
  async untrust(file: string): Promise<boolean> {
    const modules = await this.list()
    const rest = modules.filter((m) => m.file !== file)
    if (rest.length === modules.length) return false
    await this.write(rest)
    return true
  }

  private async write(modules: TrustedModule[]): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, modules }, null, 2) + '\n', 0o600)
  }
}

/** For `backplane test-engine`: running a module there is the user's own explicit act. */
export const explicitlyRequested: TrustPolicy = { assertTrusted: async () => undefined }

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Quotes an argument for a POSIX shell when it needs it, so the hint can be pasted as it is. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:@#=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}
