import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Readable } from 'node:stream'

export const MiB = 2 ** 20

/**
 * A file of `mib` MiB made of one random MiB written again and again: cheap to make, incompressible
 * within a block (no transport or disk can shrink it), and its SHA-256 known without reading it back.
 */
export async function makeBigFile(path: string, mib: number): Promise<{ bytes: number; sha256: string }> {
  const block = randomBytes(MiB)
  const hash = createHash('sha256')
  const out = createWriteStream(path)
  for (let i = 0; i < mib; i++) {
    hash.update(block)
    if (!out.write(block)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return { bytes: mib * MiB, sha256: hash.digest('hex') }
}

/** SHA-256 and length of a stream, read to its end and kept nowhere. */
export async function hashStream(stream: Readable): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk)
    bytes += chunk.length
  }
  return { bytes, sha256: hash.digest('hex') }
}

export function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  return hashStream(createReadStream(path, { highWaterMark: MiB }))
}

/** MB/s (10^6 bytes, as transfer tools print) of `bytes` in `ms`. */
export function megabytesPerSecond(bytes: number, ms: number): number {
  return Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10
}
