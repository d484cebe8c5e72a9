import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { streamToString, type Storage } from '../storage/base'
import type { CaseTools, ContractCase } from './harness'

export interface StorageFixture {
  /** A fresh storage; it may hold other data (a shared bucket): every case works in a folder of its own. */
  make(): Promise<Storage>
  afterEach?(): Promise<void>
}

/** One run's prefix, so that two runs against one bucket or server never meet. */
const RUN = `bp-contract-${randomBytes(4).toString('hex')}`

/**
 * A case that works in a folder of its own (named after it, under this run's prefix), removed
 * afterwards whatever happened, and the storage closed.
 */
export function storageCase(slug: string, name: string, run: (storage: Storage, dir: string, t: CaseTools) => Promise<void>): ContractCase<StorageFixture> {
  return {
    name,
    run: async (fixture, t) => {
      const storage = await fixture.make()
      const dir = `${RUN}/${slug}`
      try {
        await run(storage, dir, t)
      } finally {
        try {
          await storage.delete(dir)
          if (!(await storage.list(RUN, { limit: 1 })).entries.length) await storage.delete(RUN)
        } finally {
          await storage.close()
        }
      }
    },
  }
}

export async function read(storage: Storage, name: string, range?: { start: number; end?: number }): Promise<string> {
  return streamToString(await storage.open(name, range ? { range } : {}))
}

export async function readBytes(storage: Storage, name: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of await storage.open(name)) chunks.push(Buffer.from(chunk as Uint8Array))
  return Buffer.concat(chunks)
}

/**
 * The names of a folder's entries, every page. A cursor given twice fails at once: paging on would loop
 * for ever, and an in-memory engine's loop never yields to the timer that would stop the case.
 */
export async function namesIn(storage: Storage, dir: string, limit?: number, contains?: string): Promise<string[]> {
  const names: string[] = []
  const cursors = new Set<string>()
  let cursor: string | null = null
  do {
    const page: Awaited<ReturnType<Storage['list']>> = await storage.list(dir, { cursor, ...(limit ? { limit } : {}), ...(contains ? { contains } : {}) })
    if (limit) assert.ok(page.entries.length <= limit, `list("${dir}") gave ${page.entries.length} entries for a limit of ${limit}`)
    names.push(...page.entries.map((e) => e.name))
    cursor = page.cursor
    if (cursor !== null && cursors.has(cursor)) assert.fail(`list("${dir}") gave the cursor "${cursor}" twice: paging would never end.`)
    if (cursor !== null) cursors.add(cursor)
  } while (cursor !== null)
  return names
}

/** A stream that gives some bytes and then fails, as an upload whose client vanished. */
export function failingStream(): Readable {
  let sent = 0
  return new Readable({
    read() {
      if (sent++ < 3) this.push(Buffer.alloc(64 * 1024, 'x'))
      else this.destroy(new Error('the client went away'))
    },
  })
}

/** A stream that gives some bytes and then waits for ever (until destroyed), so a signal has something to abort. */
export function stallingStream(onFirstChunk: () => void): Readable {
  let sent = false
  return new Readable({
    read() {
      if (sent) return
      sent = true
      this.push(Buffer.alloc(64 * 1024, 'y'))
      setTimeout(onFirstChunk, 10)
    },
  })
}

/** Settles with the promise's error (asserting there is one). */
export async function errorOf(promise: Promise<unknown>, what: string): Promise<{ code?: string; status?: number; message: string }> {
  try {
    await promise
  } catch (err) {
    return err as { code?: string; status?: number; message: string }
  }
  assert.fail(`${what}: expected an error, but it succeeded.`)
}

/** Runs tasks a few at a time: quick on a remote server without opening a connection per file. */
export async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run))
}
