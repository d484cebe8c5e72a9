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

/** What an engine gets besides its options: where it lives and how to reach its siblings. */
export interface EngineContext {
  kind: Kind
  alias: string
  engine: string
  /** The data directory; relative paths in options resolve against it. */
  dataDir: string
  log: Logger
  events: EventBus
  /** Another configured backend, e.g. the database alias that the auth model backend reads. */
  backend(kind: Kind, alias: string): Promise<Backend>
  /** Named services that upper layers offer to engines (the outbox store, for one), looked up by name. */
  service<T>(name: string): T | undefined
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
  custom?: { spec: string; file?: string }
}

/** Declares an engine: its options schema drives the settings form, create() builds the backend. */
export function defineEngine<S extends OptionsSchema, B extends Backend>(definition: {
  kind: Kind
  id: string
  title: string
  description?: string
  options: S
  create(options: z.output<S>, ctx: EngineContext): B | Promise<B>
}): EngineDefinition<z.output<S>, B> {
  return definition
}

/** What the registry needs to know of a kind to check that a custom engine really implements it. */
export interface KindSpec {
  kind: Kind
  /** Methods every backend of the kind must have, beyond check() and close(). */
  methods: readonly string[]
  /** Options every engine of the kind accepts; a custom class without a schema gets these. */
  baseOptions: OptionsSchema
}

/**
 * A secret option (password, key, token): the settings form shows it write-only, settings.json keeps
 * only a `{ "$secret": id }` reference, and the value lives in the secret store.
 */
export function secretString(description: string) {
  return z.string().meta({ writeOnly: true, format: 'password' }).describe(description)
}
