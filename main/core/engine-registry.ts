import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Backend, EngineContext, EngineDefinition, KindSpec, OptionsSchema } from './engine'
import { BackplaneError, ErrorCode } from './errors'
import { HealthProbe, failedReport } from './health-probe'
import { HealthReport } from './schemas/health'
import type { Kind } from './schemas/kinds'

const DOCS_HINT = 'See docs/custom-engines.md for the interface of each kind, and examples/ for one working engine per kind.'

/**
 * Finds the engine behind an alias: a built-in id (`locmem`), or — exactly like Django's dotted
 * BACKEND path — a module path (`./plugins/x.mjs#Name`) or package (`pkg#Name`) loaded at run time
 * and checked against the kind's interface before anything uses it.
 */
export class EngineRegistry {
  private readonly specs = new Map<Kind, KindSpec>()
  private readonly builtins = new Map<Kind, Map<string, EngineDefinition>>()

  constructor(specs: readonly KindSpec[], engines: readonly EngineDefinition[]) {
    for (const spec of specs) {
      this.specs.set(spec.kind, spec)
      this.builtins.set(spec.kind, new Map())
    }
    for (const engine of engines) this.builtins.get(engine.kind)?.set(engine.id, engine)
  }

  kindSpec(kind: Kind): KindSpec {
    const spec = this.specs.get(kind)
    if (!spec) throw new BackplaneError(ErrorCode.E_UNKNOWN_KIND, `No kind "${kind}".`)
    return spec
  }

  list(kind: Kind): EngineDefinition[] {
    return [...(this.builtins.get(kind)?.values() ?? [])]
  }

  /** @param baseDir where relative module paths start (the data directory, beside settings.json) */
  async resolve(kind: Kind, spec: string, baseDir: string): Promise<EngineDefinition> {
    const builtin = this.builtins.get(kind)?.get(spec)
    if (builtin) return builtin
    if (!isModuleSpec(spec) && !isInstalledPackage(spec, baseDir)) {
      const known = this.list(kind).map((e) => e.id).join(', ')
      throw new BackplaneError(ErrorCode.E_UNKNOWN_ENGINE, `"${spec}" is not a ${kind} engine.`, {
        hint: `Built-in ${kind} engines: ${known}. A custom engine is a module path such as "./my-engine.mjs#MyEngine" or an installed package name.`,
      })
    }
    return this.loadCustom(kind, spec, baseDir)
  }

  private async loadCustom(kind: Kind, spec: string, baseDir: string): Promise<EngineDefinition> {
    const [modulePart = '', exportName] = spec.split('#', 2) as [string, string | undefined]
    const { url, file } = await locate(modulePart, baseDir)
    let mod: Record<string, unknown>
    try {
      mod = (await import(url)) as Record<string, unknown>
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `Could not load the module of engine "${spec}": ${(err as Error).message}`, {
        cause: err,
        hint: `Check that ${file ?? modulePart} exists and is valid JavaScript (ES module or CommonJS). ${DOCS_HINT}`,
      })
    }
    const exported = exportName ? mod[exportName] : (mod.default ?? mod)
    if (exported === undefined) {
      const names = Object.keys(mod).filter((k) => k !== 'default')
      throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `${modulePart} has no export named "${exportName ?? 'default'}".`, {
        hint: names.length ? `It exports: ${names.join(', ')}.` : 'It exports nothing.',
      })
    }
    const definition = this.toDefinition(kind, spec, exported)
    definition.custom = file ? { spec, file } : { spec }
    return definition
  }

  /** Accepts a class (Django style: constructed with options and context) or a defineEngine()-style object. */
  private toDefinition(kind: Kind, spec: string, exported: unknown): EngineDefinition {
    const kindSpec = this.kindSpec(kind)
    if (typeof exported === 'function' && exported.prototype) {
      const Class = exported as (new (options: unknown, ctx: EngineContext) => Backend) & { options?: unknown; title?: string; description?: string }
      const missing = missingMethods(kindSpec, Class.prototype as object)
      if (missing.length) throw interfaceError(kind, spec, missing)
      return {
        kind,
        id: spec,
        title: Class.title ?? Class.name,
        ...(Class.description ? { description: Class.description } : {}),
        options: isZodLike(Class.options) ? Class.options : kindSpec.baseOptions,
        create: (options, ctx) => this.checked(kind, spec, new Class(options, ctx), ctx),
      }
    }
    if (typeof exported === 'object' && exported !== null && typeof (exported as { create?: unknown }).create === 'function') {
      const def = exported as Partial<EngineDefinition> & Pick<EngineDefinition, 'create'>
      if (def.kind !== undefined && def.kind !== kind) {
        throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `${spec} is a ${def.kind} engine, not a ${kind} engine.`, {
          hint: `Use it in the ${def.kind} settings, or point this alias at a ${kind} engine.`,
        })
      }
      return {
        kind,
        id: spec,
        title: def.title ?? spec,
        ...(def.description ? { description: def.description } : {}),
        options: isZodLike(def.options) ? def.options : kindSpec.baseOptions,
        create: async (options, ctx) => this.checked(kind, spec, await def.create(options, ctx), ctx),
      }
    }
    throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `${spec} exports neither a class nor an engine definition with create().`, {
      hint: DOCS_HINT,
    })
  }

  /** Fills in check() and close() when a custom backend has none, and rejects one missing its kind's methods. */
  private checked(kind: Kind, spec: string, backend: Backend, ctx: EngineContext): Backend {
    if (typeof backend !== 'object' || backend === null) {
      throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `${spec} created ${String(backend)} instead of a ${kind} backend.`, { hint: DOCS_HINT })
    }
    const missing = missingMethods(this.kindSpec(kind), backend)
    if (missing.length) throw interfaceError(kind, spec, missing)
    const b = backend as Partial<Backend>
    if (typeof b.check !== 'function') {
      b.check = async () => {
        const probe = new HealthProbe(kind, ctx.alias, spec)
        probe.summary = 'Created; the engine defines no check() of its own.'
        await probe.step('create', () => undefined)
        return probe.report()
      }
    } else {
      // A custom engine's report is held to the same schema as ours, and names the alias it really checked.
      const ownCheck = b.check.bind(backend)
      b.check = async () => {
        const parsed = HealthReport.safeParse({ ...(await ownCheck()), kind, alias: ctx.alias, engine: spec })
        if (parsed.success) return parsed.data
        return failedReport(kind, ctx.alias, spec, new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `${spec} check() returned an invalid report: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { hint: DOCS_HINT }))
      }
    }
    if (typeof b.close !== 'function') b.close = async () => undefined
    return backend
  }
}

function missingMethods(spec: KindSpec, target: object): string[] {
  return spec.methods.filter((m) => typeof (target as Record<string, unknown>)[m] !== 'function')
}

function interfaceError(kind: Kind, spec: string, missing: string[]): BackplaneError {
  return new BackplaneError(
    ErrorCode.E_ENGINE_INTERFACE,
    `${spec} does not implement the ${kind} interface: missing ${missing.map((m) => `${m}()`).join(', ')}.`,
    { hint: `Add ${missing.length === 1 ? 'this method' : 'these methods'}. ${DOCS_HINT}`, details: { missing } },
  )
}

function isZodLike(value: unknown): value is OptionsSchema {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function'
}

/** Built-in ids are plain words; anything with a path separator, a dot-slash or a `#` export is a module. */
export function isModuleSpec(spec: string): boolean {
  return isPathSpec(spec) || spec.includes('#') || spec.startsWith('@') || /\.(m?js|cjs)$/.test(spec)
}

function isPathSpec(spec: string): boolean {
  return /^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/]|file:)/.test(spec)
}

function isInstalledPackage(name: string, baseDir: string): boolean {
  for (const from of [join(baseDir, 'package.json'), import.meta.url]) {
    try {
      createRequire(from).resolve(name)
      return true
    } catch {
      /* try the next place */
    }
  }
  return false
}

async function locate(modulePart: string, baseDir: string): Promise<{ url: string; file?: string }> {
  if (!isPathSpec(modulePart)) {
    for (const from of [join(baseDir, 'package.json'), import.meta.url]) {
      try {
        const file = createRequire(from).resolve(modulePart)
        return { url: pathToFileURL(file).href, file }
      } catch {
        /* try the next place */
      }
    }
    throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `Package "${modulePart}" is not installed.`, {
      hint: `Install it in ${baseDir} (npm install ${modulePart}) or use a module path such as "./engine.mjs#Name".`,
    })
  }
  const file = modulePart.startsWith('file:') ? new URL(modulePart).pathname : isAbsolute(modulePart) ? modulePart : resolve(baseDir, modulePart)
  let mtime: number
  try {
    mtime = (await stat(file)).mtimeMs
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `Engine module ${file} does not exist.`, {
      cause: err,
      hint: `Relative paths start from the data directory (${baseDir}). Use an absolute path, or move the module there.`,
    })
  }
  // The modification time in the URL makes an edited module load afresh instead of from import()'s cache.
  return { url: `${pathToFileURL(file).href}?v=${Math.trunc(mtime)}`, file }
}
