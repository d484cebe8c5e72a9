import type { EngineDefinition, KindSpec } from '../core/engine'
import { EngineRegistry, type RegistryOptions } from '../core/engine-registry'
import { authEngines, authKind } from './auth'
import { cacheEngines, cacheKind } from './cache'
import { dataEngines, dataKind } from './data'
import { mailEngines, mailKind } from './mail'
import { storageEngines, storageKind } from './storage'

export const KIND_SPECS: readonly KindSpec[] = [mailKind, dataKind, cacheKind, authKind, storageKind]

export const BUILTIN_ENGINES: readonly EngineDefinition[] = [
  ...mailEngines,
  ...dataEngines,
  ...cacheEngines,
  ...authEngines,
  ...storageEngines,
] as readonly EngineDefinition[]

/** The registry of every built-in engine; custom ones are found by module path on demand, once trusted. */
export function createEngineRegistry(options: RegistryOptions): EngineRegistry {
  return new EngineRegistry(KIND_SPECS, BUILTIN_ENGINES, options)
}
