import { PassThrough, pipeline, type Readable } from 'node:stream'

/**
 * A stream's bytes as they are read, counted: the count moves at the reader's pace (backpressure holds),
 * and destroying the counted stream destroys the source (an engine's read, a request body).
 */
export function metered(source: Readable, count: (bytes: number) => void): Readable {
  const counter = new PassThrough({
    transform(chunk: Buffer, _encoding, done) {
      count(chunk.length)
      done(null, chunk)
    },
  })
  pipeline(source, counter, () => {})
  return counter
}
