import { Transform, type Readable } from 'node:stream'
import { BackplaneError, ErrorCode } from '../../core/errors'

export interface UploadBodyOptions {
  /** Content-Length, when the client sent one: the body must be exactly that long. */
  declared: number | undefined
  /** A body that sends nothing for this long is cut off (E_REQUEST_TIMEOUT, 408). */
  idleMs: number
  progress(bytes: number): void
}

/**
 * A request body on its way into an engine: counted (for progress), watched for silence, and held to
 * its Content-Length. Each of those faults destroys the stream with a typed error, which is what makes
 * the engine drop the file it was writing; so does the client going away (the request errors). The
 * request itself is left open, for the answer.
 */
export function uploadBody(body: Readable, options: UploadBodyOptions): { stream: Readable; received: () => number } {
  let received = 0
  let idle: NodeJS.Timeout | undefined
  const arm = () => {
    clearTimeout(idle)
    idle = setTimeout(() => {
      // Bytes waiting for the engine: the engine is slow (an S3 part uploading), not the client.
      if (counter.readableLength > 0 || counter.writableLength > 0) return arm()
      counter.destroy(new BackplaneError(ErrorCode.E_REQUEST_TIMEOUT, `The upload sent nothing for ${Math.round(options.idleMs / 1000)} s; nothing was saved.`, { hint: 'Send the file again on a steadier connection.' }))
    }, options.idleMs)
    idle.unref()
  }
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length
      if (options.declared !== undefined && received > options.declared) {
        return done(lengthMismatch(options.declared, 'more'))
      }
      arm()
      options.progress(chunk.length)
      done(null, chunk)
    },
    flush(done) {
      clearTimeout(idle)
      if (options.declared !== undefined && received !== options.declared) return done(lengthMismatch(options.declared, 'less'))
      done()
    },
    destroy(err, done) {
      clearTimeout(idle)
      done(err)
    },
  })
  arm()
  // The client leaving mid-body errors the request ("aborted"), which is handed on to the engine. A
  // fault of the body's own (silence, a wrong length) only detaches it: destroying a request destroys
  // its socket, and the host still has to answer 408 or 400 on it (and then closes the connection).
  body.once('error', (err) => counter.destroy(err))
  body.pipe(counter)
  return { stream: counter, received: () => received }
}

function lengthMismatch(declared: number, what: 'more' | 'less'): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_INPUT, `The body was ${what === 'more' ? 'longer' : 'shorter'} than its Content-Length of ${declared} bytes; nothing was saved.`, {
    hint: 'Send the whole file, with a Content-Length that matches it (or none).',
  })
}
