import type { Backend, EngineContext, EngineDefinition, KindSpec, OptionsSchema } from './engine'
import { installEngineLoader, importEngineModule } from './engine-loader'
import { locateCustomModule, type EngineModule } from './engine-module'
import type { TrustPolicy } from './engine-trust'
import { BackplaneError, ErrorCode, toBackplaneError } from './errors'
import { HealthProbe, failedReport } from './health-probe'
import type { Logger } from './log'
import { HealthReport } from './schemas/health'
import type { Kind } from './schemas/kinds'

const DOCS_HINT = 'See docs/custom-engines.md for the interface of each kind, and examples/ for one working engine per kind.'

export interface RegistryOptions {
  /** Who may decide that a custom module runs: the trust list in the app, the user's own act in test-engine. */
  trust: TrustPolicy
  /** Where `import 'backplane/engine'` leads from a custom module. */
  sdkUrl?: string
  /** Told when custom engines load without the load-time hash check (Node without module hooks). */
  log?: Pick<Logger, 'warn'>
}

/**
 * Finds the engine behind an alias: a built-in id (`locmem`), or — exactly like Django's dotted
 * BACKEND path — a module path (`./plugins/x.mjs#Name`) or package (`pkg#Name`) loaded at run time,
 * once its exact content is trusted, and checked against the kind's interface before anything uses it.
 */
export class EngineRegistry {
  private readonly specs = new Map<Kind, KindSpec>()
  private readonly builtins = new Map<Kind, Map<string, EngineDefinition>>()

  constructor(
    specs: readonly KindSpec[],
    engines: readonly EngineDefinition[],
    private readonly options: RegistryOptions,
  ) {
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

  /** The methods of its kind a backend lacks (none for one that implements it). */
  missingMethods(kind: Kind, backend: object): string[] {
    return missingMethods(this.kindSpec(kind), backend)
  }

  isBuiltin(kind: Kind, spec: string): boolean {
    return this.builtins.get(kind)?.has(spec) ?? false
  }

  /** The module a custom spec names, read and hashed but not imported (for trusting it). */
  async locate(kind: Kind, spec: string, baseDir: string): Promise<EngineModule> {
    return locateCustomModule(spec, baseDir, `Built-in ${kind} engines: ${this.list(kind).map((e) => e.id).join(', ')}.`)
  }

  /** @param baseDir where relative module paths start (the data directory, beside settings.json) */
  async resolve(kind: Kind, spec: string, baseDir: string): Promise<EngineDefinition> {
    const builtin = this.builtins.get(kind)?.get(spec)
    if (builtin) return builtin
    const module = await this.locate(kind, spec, baseDir)
    // Before anything of the module runs: an untrusted file is never imported.
    await this.options.trust.assertTrusted(module)
    installEngineLoader(this.options.sdkUrl, this.options.log)
    const mod = await importEngineModule(module, this.options.trust.commandFor?.bind(this.options.trust))
    const exported = pickExport(mod, module, spec)
    let definition: EngineDefinition
    try {
      definition = this.toDefinition(kind, spec, exported)
    } catch (err) {
      if (err instanceof BackplaneError) throw err
      // A getter on the export that throws, a Proxy that refuses to be looked at: the module's fault.
      throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `Reading what ${spec} exports failed: ${safeMessage(err)}`, { hint: DOCS_HINT })
    }
    definition.custom = { spec, file: module.file, sha256: module.sha256 }
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
        title: typeof Class.title === 'string' ? Class.title : Class.name,
        ...(typeof Class.description === 'string' ? { description: Class.description } : {}),
        options: isZodLike(Class.options) ? Class.options : kindSpec.baseOptions,
        create: (options, ctx) => this.checked(kind, spec, () => new Class(options, ctx), ctx),
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
        title: typeof def.title === 'string' && def.title ? def.title : spec,
        ...(typeof def.description === 'string' ? { description: def.description } : {}),
        options: isZodLike(def.options) ? def.options : kindSpec.baseOptions,
        create: (options, ctx) => this.checked(kind, spec, () => def.create(options, ctx), ctx),
      }
    }
    throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `${spec} exports neither a class nor an engine definition with create().`, {
      hint: DOCS_HINT,
    })
  }

  /**
   * Builds a custom backend and holds it to its kind: a constructor that throws is the engine's failure
   * (not Backplane's), missing methods are named, and check()/close() are filled in when absent.
   */
  private async checked(kind: Kind, spec: string, create: () => Backend | Promise<Backend>, ctx: EngineContext): Promise<Backend> {
    let backend: Backend
    try {
      // A native promise is awaited; anything else is taken as it is, so a backend that defines then()
      // is never resolved as a promise (it could resolve itself for ever and starve the event loop).
      const created = create()
      backend = created instanceof Promise ? await created : created
    } catch (err) {
      const typed = toBackplaneError(err, ErrorCode.E_ENGINE_FAILED)
      // An engine that said what went wrong, with a code of its own or ours, is passed on as it said it.
      if (typed.code !== ErrorCode.E_ENGINE_FAILED) throw typed
      throw new BackplaneError(ErrorCode.E_ENGINE_FAILED, `${spec} failed while being created: ${typed.message}`, { cause: err, hint: 'The error comes from the engine module; its author can tell why.' })
    }
    if (typeof backend !== 'object' || backend === null) {
      throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `${spec} created ${safeString(backend)} instead of a ${kind} backend.`, { hint: DOCS_HINT })
    }
    let shape: { then: unknown; check: unknown; close: unknown; missing: string[] }
    try {
      const b = backend as unknown as Record<string, unknown>
      shape = { then: b.then, check: b.check, close: b.close, missing: missingMethods(this.kindSpec(kind), backend) }
    } catch (err) {
      throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `Looking at the backend ${spec} created failed: ${safeMessage(err)}`, { hint: DOCS_HINT })
    }
    if (typeof shape.then === 'function') {
      throw new BackplaneError(ErrorCode.E_ENGINE_INTERFACE, `${spec} created a backend with a then() method, which would make it a promise.`, { hint: 'Rename then(): a backend must not look like a promise.' })
    }
    if (shape.missing.length) throw interfaceError(kind, spec, shape.missing)
    const ownCheck = typeof shape.check === 'function' ? (shape.check as () => Promise<unknown>).bind(backend) : undefined
    const check = async (): Promise<HealthReport> => {
      if (!ownCheck) {
        const probe = new HealthProbe(kind, ctx.alias, spec)
        probe.summary = 'Created; the engine defines no check() of its own.'
        await probe.step('create', () => undefined)
        return probe.report()
      }
      let own: unknown
      try {
        own = await ownCheck()
      } catch (err) {
        return failedReport(kind, ctx.alias, spec, toBackplaneError(err, ErrorCode.E_ENGINE_FAILED))
      }
      // A custom engine's report is held to the same schema as ours, and names the alias it really checked.
      let problem: string
      try {
        const parsed = HealthReport.safeParse(typeof own === 'object' && own !== null ? { ...own, kind, alias: ctx.alias, engine: spec } : own)
        if (parsed.success) return blameSteps(parsed.data)
        problem = parsed.error.issues.map((i) => `${i.path.join('.') || '(report)'}: ${i.message}`).join('; ')
      } catch (err) {
        problem = `reading it failed: ${safeMessage(err)}`
      }
      return failedReport(kind, ctx.alias, spec, new BackplaneError(ErrorCode.E_ENGINE_OUTPUT, `${spec} check() returned an invalid report: ${problem}`, { hint: DOCS_HINT }))
    }
    const close = typeof shape.close === 'function' ? undefined : async () => undefined
    // check() and, when absent, close() are supplied beside the backend, never written onto it (it may be frozen).
    return new Proxy(backend, {
      get: (target, prop) => (prop === 'check' ? check : prop === 'close' && close ? close : Reflect.get(target, prop, target)),
    })
  }
}

/** An untyped failure inside a custom engine's own check is the engine's, as for its calls. */
function blameSteps(report: HealthReport): HealthReport {
  const blame = <T extends { code: string }>(error: T): T => (error.code === ErrorCode.E_INTERNAL ? { ...error, code: ErrorCode.E_ENGINE_FAILED } : error)
  return { ...report, steps: report.steps.map((step) => (step.error ? { ...step, error: blame(step.error) } : step)), ...(report.error ? { error: blame(report.error) } : {}) }
}

function safeMessage(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err)
  } catch {
    return 'an error that could not be read'
  }
}

function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return typeof value
  }
}

/**
 * What `module#Name` names; without `#Name`, the default export, else a module that is itself a definition
 * (it exports `create`), else its only export. Several and no default: the user must say which.
 */
function pickExport(mod: Record<string, unknown>, module: EngineModule, spec: string): unknown {
  const names = Object.keys(mod).filter((k) => k !== 'default')
  const named = (name: string) => {
    if (mod[name] !== undefined) return mod[name]
    throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `${module.file} has no export named "${name}".`, {
      hint: names.length ? `It exports: ${names.join(', ')}.` : 'It exports nothing.',
    })
  }
  if (module.exportName) return named(module.exportName)
  if (mod.default !== undefined) return mod.default
  if (typeof mod.create === 'function') return mod
  if (names.length === 1) return mod[names[0]!]
  const base = spec.split('#')[0]
  throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, names.length ? `${module.file} has no default export and ${names.length} named ones.` : `${module.file} exports nothing.`, {
    hint: names.length ? `Say which one is the engine: ${names.map((n) => `${base}#${n}`).join(' or ')}.` : DOCS_HINT,
  })
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
