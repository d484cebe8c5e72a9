import type { Kind } from '../../core/schemas/kinds'
import { withTimeout } from '../../core/timeout'
import type { ErrorCode } from '../../core/errors'

/** Thrown by `t.skip()`: the case does not apply to this engine, for the reason given. */
export class CaseSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'CaseSkipped'
  }
}

export interface CaseTools {
  /** Ends the case as skipped: a capability the engine lacks is never counted as passed. */
  skip(reason: string): never
}

export interface ContractCase<F> {
  name: string
  run(fixture: F, t: CaseTools): Promise<void>
}

/**
 * One kind's contract: what every engine of the kind must do, as Django runs its cache tests against
 * every cache backend. The suites ship with the app (the built-in engines' tests run them, and
 * `backplane test-engine` runs them against a user's engine), so they use node:assert, not a test runner.
 */
export interface ContractSuite<F> {
  kind: Kind
  cases: readonly ContractCase<F>[]
}

export interface ContractResult {
  name: string
  outcome: 'passed' | 'failed' | 'skipped'
  ms: number
  /** Why it failed or was skipped. */
  message?: string
}

export const tools: CaseTools = {
  skip(reason: string): never {
    throw new CaseSkipped(reason)
  },
}

/** Runs every case in order, each to its end or its timeout, and says how each went. */
export async function runContractSuite<F>(
  suite: ContractSuite<F>,
  fixture: F & { afterEach?: () => Promise<void> },
  { timeoutMs = 30_000, onResult }: { timeoutMs?: number; onResult?: (result: ContractResult) => void } = {},
): Promise<ContractResult[]> {
  const results: ContractResult[] = []
  for (const c of suite.cases) {
    const started = performance.now()
    let result: ContractResult
    try {
      await withTimeout(c.run(fixture, tools), timeoutMs, `"${c.name}"`, 'A method of the engine never answered.')
      result = { name: c.name, outcome: 'passed', ms: performance.now() - started }
    } catch (err) {
      const ms = performance.now() - started
      result = err instanceof CaseSkipped ? { name: c.name, outcome: 'skipped', ms, message: err.reason } : { name: c.name, outcome: 'failed', ms, message: describeFailure(err) }
    }
    try {
      await fixture.afterEach?.()
    } catch (err) {
      if (result.outcome !== 'failed') result = { ...result, outcome: 'failed', message: `cleaning up after the case failed: ${describeFailure(err)}` }
    }
    results.push(result)
    onResult?.(result)
  }
  return results
}

function describeFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('E_') ? `${code}: ${err.message}` : err.message
}

/** The engine's backend is closed whatever the case did. */
export async function using<B extends { close(): Promise<void> }, T>(backend: B | Promise<B>, run: (b: B) => Promise<T>): Promise<T> {
  const b = await backend
  try {
    return await run(b)
  } finally {
    await b.close()
  }
}

/** Asserts that a promise rejects with an error carrying `code`, and returns that error. */
export async function rejectsWithCode(promise: Promise<unknown>, code: ErrorCode, what: string): Promise<Error> {
  let error: unknown
  try {
    await promise
  } catch (err) {
    error = err
  }
  if (error === undefined) throw new Error(`${what}: expected an error with code ${code}, but it succeeded.`)
  const actual = (error as { code?: unknown }).code
  if (actual !== code) throw new Error(`${what}: expected code ${code}, got ${typeof actual === 'string' ? actual : 'no code'} (${(error as Error).message}).`)
  return error as Error
}
