import { sampleLoopLag } from '../../../../test/support/loop-lag'
import { describe, expect, it } from 'vitest'
import { valueCodec } from './codecs'
import { decodeOffLoop, readPickle, SLICED_FROM_BYTES } from './pickle-read'
import { writePickle } from './pickle-write'

/** The longest the event loop went without running a 2 ms interval while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  return (await sampleLoopLag(work, 2)).worstLagMs + 2
}

// A big entry on a shared cache (a 14 MB dict takes about a second to read) must not hold every other
// call, the SMTP capture server included, for that long: big pickles are read in slices.
describe('decodeOffLoop', () => {
  const big = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`key-${i}`, [i, `value ${i}`, { nested: i % 7 }]]))
  const bytes = writePickle(big)

  it('reads a big pickle to the same value as readPickle, with the event loop free between slices', async () => {
    expect(bytes.length).toBeGreaterThan(SLICED_FROM_BYTES * 8)
    const codec = valueCodec('redis', 'django')
    let decoded: unknown
    const stall = await longestStall(async () => {
      decoded = (await decodeOffLoop(codec, { bytes })).value
    })
    expect(decoded).toEqual(readPickle(bytes).value)
    expect(stall).toBeLessThan(250)
  })

  it('refuses a hostile pickle (1.6 million nested lists) in slices too, with the reader’s own error', async () => {
    const n = 1_600_000
    const hostile = Buffer.concat([Buffer.from([0x80, 4]), Buffer.alloc(n, 0x5d), Buffer.alloc(n - 1, 0x61), Buffer.from('.')])
    let error: unknown
    const stall = await longestStall(() => decodeOffLoop(valueCodec('pickle', 'django'), { bytes: hostile }).catch((e: unknown) => (error = e)))
    expect(error).toMatchObject({ code: 'E_TOO_LARGE' })
    expect(stall).toBeLessThan(250)
  })

  it('reads small values at once, as the codec does', async () => {
    const codec = valueCodec('memcached', 'django')
    const stored = codec.encode({ a: [1, 2, 3] })
    expect(await decodeOffLoop(codec, stored)).toEqual(codec.decode(stored))
  })
})
