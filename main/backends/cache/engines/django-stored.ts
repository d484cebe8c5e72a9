import { BackplaneError, ErrorCode } from '../../../core/errors'
import { decodeOffLoop } from '../codec'
import type { DecodedValue, ValueCodec } from '../codec/types'

/** What the file and database caches share, storing entries as Django does: absolute expiries, pickles. */

/**
 * Django's BaseCache.get_backend_timeout() for the caches that store an absolute expiry (file,
 * database): epoch seconds, or null for "never". Unlike base.ts's expiryOf() (epoch ms, timeouts
 * clamped at 0), it keeps Django's arithmetic exactly, so both sides of a shared folder or table agree:
 * a timeout of 0 becomes -1 (ticket 21147), a negative one stays negative.
 */
export function backendExpiry(timeout: number | null | undefined, defaultTimeout: number | null, nowMs = Date.now()): number | null {
  // As Django: only a timeout passed in as 0 becomes -1, not a default of 0.
  const seconds = timeout === undefined ? defaultTimeout : timeout === 0 ? -1 : timeout
  return seconds === null ? null : nowMs / 1000 + seconds
}

/**
 * A value the file and database caches keep (always a pickle, as Django writes it), decoded; a damaged
 * one is `damaged(reason)`, an E_CACHE_CORRUPT that names the file or row.
 */
export async function unpickled(pickled: Uint8Array, damaged: (reason: string) => BackplaneError, codec: ValueCodec): Promise<DecodedValue> {
  let decoded: DecodedValue
  try {
    decoded = await decodeOffLoop(codec, { bytes: Buffer.from(pickled.buffer, pickled.byteOffset, pickled.byteLength) })
  } catch (err) {
    if (err instanceof BackplaneError && err.code === ErrorCode.E_CACHE_CORRUPT) throw damaged(`its pickle cannot be read (${err.message.replace(/\.$/, '')})`)
    throw err
  }
  if (decoded.encoding !== 'pickle') throw damaged('its value is not a pickle')
  return decoded
}
