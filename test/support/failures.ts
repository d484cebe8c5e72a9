import { createServer } from 'node:net'
import { expect } from 'vitest'
import { BackplaneError } from '../../main/core/errors'

/** The typed error a call failed with; the test fails if it succeeded or threw anything else. */
export async function failure(promise: Promise<unknown>): Promise<BackplaneError> {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(BackplaneError)
    return err as BackplaneError
  }
  throw new Error('expected a failure')
}

/** A loopback port nothing listens on (it was free a moment ago): for "connection refused" cases. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
