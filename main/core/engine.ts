import { z } from 'zod'
import type { HealthReport } from './schemas/health'
import type { Kind } from './schemas/kinds'
import type { EventBus } from './events'
import type { Logger } from './log'

/** What every backend instance of every kind can do, whatever else its kind adds. */
export interface Backend {
  check(): Promise<HealthReport>
  close(): Promise<void>
}

/**
 * The interface of each kind's backends, by kind. Each `backends/<kind>/base.ts` adds its own entry
 * (TypeScript declaration merging), so `ctx.backend('data', alias)` is typed as a Database while core
 * names no backend.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface BackendKinds {}
export type BackendOf<K extends Kind> = K extends keyof BackendKinds ? BackendKinds[K] : Backend

/** Services that upper layers offer to engines, by name; the layer that declares an interface adds it. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface EngineServices {}

/** What an engine gets besides its options: where it lives and how to reach its siblings. */
export interface EngineContext {
  kind: Kind
  alias: string
  engine: string
  /** The data directory; relative paths in options resolve against it. */
  dataDir: string
  log: Logger
  events: EventBus
  /** Another configured backend, checked to implement its kind: the database alias the auth model backend reads. */
  backend<K extends Kind>(kind: K, alias: string): Promise<BackendOf<K>>
  /** A service an upper layer offers (the outbox store is "outbox"), or undefined where it does not run. */
  service<S extends keyof EngineServices>(name: S): EngineServices[S] | undefined
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any zod object schema; its output type is what create() sees
export type OptionsSchema = z.ZodType<any, any>

export interface EngineDefinition<O = unknown, B extends Backend = Backend> {
  kind: Kind
  /** Built-in engines have a short id (`locmem`); custom engines are named by their module spec. */
  id: string
  title: string
  description?: string
  options: z.ZodType<O>
  create(options: O, ctx: EngineContext): B | Promise<B>
  /** Set by the registry for engines loaded from a module path or package. */
  custom?: { spec: string; file: string; sha256: string }
}

/** Declares an engine: its options schema drives the settings form, create() builds the backend. */
export function defineEngine<S extends OptionsSchema, B extends Backend>(definition: {
  kind: Kind
  /** Required for built-in engines; a custom engine is named by its module spec instead. */
  id?: string
  title: string
  description?: string
  options: S
  create(options: z.output<S>, ctx: EngineContext): B | Promise<B>
}): EngineDefinition<z.output<S>, B> {
  return { ...definition, id: definition.id ?? '' }
}

/** The methods of an interface that a backend must have: functions that are not optional, beyond check() and close(). */
export type RequiredMethod<B> = Exclude<
  { [K in keyof B]-?: undefined extends B[K] ? never : B[K] extends (...args: never[]) => unknown ? K : never }[keyof B],
  keyof Backend
>

/** What the registry needs to know of a kind to check that a custom engine really implements it. */
export interface KindSpec {
  kind: Kind
  /** Methods every backend of the kind must have, beyond check() and close(); kindSpec() checks the list. */
  methods: readonly string[]
  /** Options every engine of the kind accepts; a custom class without a schema gets these. */
  baseOptions: OptionsSchema
}

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? unknown : { 'required methods missing from the list': Exclude<All, Listed> }

/**
 * Declares a kind against its interface: listing fewer methods than the interface requires is a compile
 * error, so the registry's runtime check of custom engines cannot drift from the interface.
 */
export function kindSpec<B extends Backend>() {
  return <const M extends readonly RequiredMethod<B>[]>(spec: { kind: Kind; methods: M & Missing<RequiredMethod<B>, M[number]>; baseOptions: OptionsSchema }): KindSpec =>
    spec as KindSpec
}

/**
 * A secret option (password, key, token): the settings form shows it write-only (a text area when
 * `multiline`, for keys and certificates), settings.json keeps only a `{ "$secret": id }` reference,
 * and the value lives in the secret store. It may sit at any depth of the options.
 */
export function secretString(description: string, { multiline = false }: { multiline?: boolean } = {}) {
  return z
    .string()
    .meta({ writeOnly: true, format: 'password', ...(multiline ? { 'x-multiline': true } : {}) })
    .describe(description)
}
