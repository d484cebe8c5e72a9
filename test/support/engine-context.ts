import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Backend, EngineContext, EngineDefinition } from '../../main/core/engine'
import { locateEngineModule } from '../../main/core/engine-module'
import { TrustStore } from '../../main/core/engine-trust'
import { BackplaneError, ErrorCode } from '../../main/core/errors'
import { EventBus } from '../../main/core/events'
import { createLogger, type LogRecord } from '../../main/core/log'
import type { Kind } from '../../main/core/schemas/kinds'

export interface TestContext extends EngineContext {
  /** Log lines the engine wrote, for tests that assert on warnings. */
  logs: LogRecord[]
  cleanup(): void
}

/** An engine context on a fresh temporary data directory, with a log that records instead of printing. */
export function testContext(
  kind: Kind,
  options: { alias?: string; engine?: string; services?: Record<string, unknown>; backends?: Record<string, Backend> } = {},
): TestContext {
  const dataDir = mkdtempSync(join(tmpdir(), 'backplane-test-'))
  const logs: LogRecord[] = []
  return {
    kind,
    alias: options.alias ?? 'test',
    engine: options.engine ?? 'test',
    dataDir,
    log: createLogger('test', { level: 'debug', sink: (r) => logs.push(r) }),
    events: new EventBus(),
    logs,
    async backend(k, alias) {
      const found = options.backends?.[`${k}:${alias}`]
      if (!found) throw new BackplaneError(ErrorCode.E_ALIAS_NOT_FOUND, `No ${k} alias "${alias}" in this test.`)
      return found as never
    },
    service: (name) => options.services?.[name] as never,
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  }
}

/** A context whose every ctx.backend() answers with this one backend (the database under an auth backend). */
export function withBackend(ctx: TestContext, backend: Backend): TestContext {
  return { ...ctx, backend: async () => backend as never }
}

/** Marks a module as trusted in a data directory, as `backplane engines trust` does. */
export async function trustModule(dataDir: string, spec: string): Promise<void> {
  await new TrustStore(dataDir).trust(await locateEngineModule(spec, dataDir))
}

/** Parses raw options through the engine's schema, as settings would, and builds the backend. */
export async function createBackend<B extends Backend>(engine: EngineDefinition, rawOptions: Record<string, unknown>, ctx: EngineContext): Promise<B> {
  const options = engine.options.parse(rawOptions)
  return (await engine.create(options, ctx)) as B
}
