import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { uploadBody } from './upload-body'

const errorOf = (stream: NodeJS.ReadableStream) => new Promise<{ code?: string; status?: number }>((resolve) => stream.on('error', resolve).resume())

describe('an upload body', () => {
  it('is cut off with 408 when it sends nothing for the idle time', async () => {
    const source = new PassThrough()
    const body = uploadBody(source, { declared: undefined, idleMs: 50, progress: () => {} })
    source.write(Buffer.alloc(10))
    expect(await errorOf(body.stream)).toMatchObject({ code: 'E_REQUEST_TIMEOUT', status: 408 })
    // Left open for the 408 answer (a destroyed request is a destroyed socket), but no longer read.
    expect({ destroyed: source.destroyed, piped: source.listenerCount('data') }).toEqual({ destroyed: false, piped: 0 })
  })

  it('is not cut off while the engine is the slow one, holding bytes it has not read yet', async () => {
    const source = new PassThrough()
    const body = uploadBody(source, { declared: undefined, idleMs: 30, progress: () => {} })
    source.write(Buffer.alloc(10))
    let failed = false
    body.stream.on('error', () => (failed = true))
    await new Promise((r) => setTimeout(r, 150))
    expect(failed).toBe(false)
    const chunks: Buffer[] = []
    source.end()
    for await (const chunk of body.stream) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).length).toBe(10)
  })

  it('must be exactly as long as its Content-Length, and counts what passes', async () => {
    const counted: number[] = []
    const short = new PassThrough()
    const body = uploadBody(short, { declared: 100, idleMs: 10_000, progress: (n) => counted.push(n) })
    short.end(Buffer.alloc(40))
    expect(await errorOf(body.stream)).toMatchObject({ code: 'E_INVALID_INPUT', status: 400 })
    expect(counted).toEqual([40])
    const long = new PassThrough()
    const over = uploadBody(long, { declared: 3, idleMs: 10_000, progress: () => {} })
    long.end(Buffer.alloc(4))
    expect(await errorOf(over.stream)).toMatchObject({ code: 'E_INVALID_INPUT' })
  })
})
