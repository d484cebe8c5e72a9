import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { contractSuites, runContractSuite, type ContractResult } from '../../backends/contracts'
import { createEngineRegistry } from '../../backends'
import type { Backend, EngineContext, EngineDefinition } from '../../core/engine'
import { explicitlyRequested } from '../../core/engine-trust'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'
import { EventBus } from '../../core/events'
import { createLogger } from '../../core/log'
import { Kind } from '../../core/schemas/kinds'
import { sdkEntryUrl } from '../../sdk/location'
import { withTimeout } from '../../core/timeout'

export interface TestEngineOptions {
  spec: string
  kind: string | undefined
  options: string | undefined
  json: boolean
  /** Seconds one case (or loading the engine) may take; 30 by default. */
  timeout: string | undefined
}

/**
 * `backplane test-engine <module> --kind <kind> [--options JSON]`: the contract suite the built-in
 * engines pass, run against a user's engine. Running a module here is the user's own explicit act, so it
 * needs no trust; the module path starts from the current folder, and each backend's data directory is
 * a fresh scratch folder, all removed afterwards.
 */
export async function testEngineCommand({ spec, kind, options, json, timeout }: TestEngineOptions): Promise<number> {
  const parsedKind = Kind.safeParse(kind)
  if (!parsedKind.success) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `--kind must be one of ${Kind.options.join(', ')}${kind ? `, not "${kind}"` : ''}.`)
  }
  const raw = parseOptions(options)
  const timeoutMs = parseTimeout(timeout)
  const registry = createEngineRegistry({ trust: explicitlyRequested, sdkUrl: sdkEntryUrl() })
  const scratch = mkdtempSync(join(tmpdir(), 'backplane-test-engine-'))
  const results: ContractResult[] = []
  const print = (r: ContractResult) => {
    results.push(r)
    if (json) return
    const mark = r.outcome === 'passed' ? '✓' : r.outcome === 'failed' ? '✗' : '-'
    const note = r.outcome === 'skipped' ? `  skipped: ${r.message}` : r.outcome === 'failed' ? `\n      ${(r.message ?? '').split('\n').join('\n      ')}` : ''
    process.stdout.write(`  ${mark} ${r.name} (${Math.round(r.ms)} ms)${note}\n`)
  }
  if (!json) process.stdout.write(`Testing ${spec} as ${parsedKind.data === 'auth' ? 'an' : 'a'} ${parsedKind.data} engine\n`)
  // An engine that leaves work pending with nothing to wake it lets Node exit on its own: that must be a
  // failure with a summary, never a silent exit 0.
  let finished = false
  process.exitCode = 1
  process.once('beforeExit', () => {
    if (finished) return
    rmSync(scratch, { recursive: true, force: true })
    print({ name: 'the engine answers', outcome: 'failed', ms: 0, message: 'The engine left a promise that never settles and nothing that could settle it; the run stopped there.' })
    finish(results, json)
  })
  try {
    const started = performance.now()
    let engine: EngineDefinition
    try {
      engine = await registry.resolve(parsedKind.data, spec, process.cwd())
      const loaded = engine
      // One backend up front, so a missing method is named before any case runs.
      await withTimeout((async () => (await build(loaded, raw, {}, scratch)).close())(), timeoutMs, 'Creating and closing one backend', 'The constructor, create() or close() does not finish.')
      print({ name: `loads, and implements the ${parsedKind.data} interface`, outcome: 'passed', ms: performance.now() - started })
    } catch (err) {
      const error = toBackplaneError(err)
      print({ name: `loads, and implements the ${parsedKind.data} interface`, outcome: 'failed', ms: performance.now() - started, message: `${error.code}: ${error.message}${error.hint ? `\n${error.hint}` : ''}` })
      return finish(results, json)
    }
    const make = (extra: Record<string, unknown> = {}) => build(engine, raw, extra, scratch)
    const run = { onResult: print, timeoutMs }
    switch (parsedKind.data) {
      case 'mail':
        await runContractSuite(contractSuites.mail, { make: (o) => make(o) as never }, run)
        break
      case 'data':
        await runContractSuite(contractSuites.data, { make: (o) => make(o) as never }, run)
        break
      case 'cache':
        await runContractSuite(contractSuites.cache, { make: (o) => make(o) as never }, run)
        break
      case 'auth':
        await runContractSuite(contractSuites.auth, { make: async () => ({ backend: (await make()) as never }) }, run)
        break
      case 'storage':
        await runContractSuite(contractSuites.storage, { make: () => make() as never }, run)
        break
    }
    return finish(results, json)
  } finally {
    finished = true
    rmSync(scratch, { recursive: true, force: true })
  }
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 30_000
  const seconds = Number(text)
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `--timeout takes seconds, from more than 0 to 3600, not "${text}".`)
  return seconds * 1000
}

async function build(engine: EngineDefinition, raw: Record<string, unknown>, extra: Record<string, unknown>, dataDir: string): Promise<Backend> {
  const parsed = engine.options.safeParse({ ...raw, ...extra })
  if (!parsed.success) {
    throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `The options are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`, { hint: 'Fix them in --options.' })
  }
  // A data directory of its own for every backend, so a case never sees what another one stored.
  return engine.create(parsed.data, context(engine, mkdtempSync(join(dataDir, 'backend-'))))
}

function context(engine: EngineDefinition, dataDir: string): EngineContext {
  return {
    kind: engine.kind,
    alias: 'test-engine',
    engine: engine.id,
    dataDir,
    log: createLogger('test-engine', { level: 'warn' }),
    events: new EventBus(),
    backend: async (kind, alias) => {
      throw new BackplaneError(ErrorCode.E_ALIAS_NOT_FOUND, `test-engine runs the engine alone: there is no ${kind} alias "${alias}" to reach.`)
    },
    service: () => undefined,
  }
}

function parseOptions(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_INVALID_JSON, `--options is not valid JSON: ${(err as Error).message}`, { hint: `Quote it for the shell: --options '{"location": "cache-files"}'` })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, '--options must be a JSON object.')
  return value as Record<string, unknown>
}

function finish(results: ContractResult[], json: boolean): number {
  process.exitCode = results.some((r) => r.outcome === 'failed') ? 1 : 0
  const count = (o: ContractResult['outcome']) => results.filter((r) => r.outcome === o).length
  if (json) process.stdout.write(JSON.stringify({ results, passed: count('passed'), failed: count('failed'), skipped: count('skipped') }, null, 2) + '\n')
  else process.stdout.write(`${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped\n`)
  return count('failed') > 0 ? 1 : 0
}
