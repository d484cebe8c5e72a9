import { createReadStream } from 'node:fs'
import { request, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { hashStream, MiB } from './big-file'

// An aborted request (the signal) fails its promise with AbortError; the caller says why it gave up.

/** PUT of a file as a streamed body with its Content-Length, as `curl -T` sends it. */
export function putFile(url: URL, headers: OutgoingHttpHeaders, file: string, size: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', agent: false, signal, headers: { ...headers, 'content-length': size, 'content-type': 'application/octet-stream' } }, (res) => {
      readText(res).then((text) => (res.statusCode! < 300 ? resolve() : reject(new Error(`PUT answered ${res.statusCode}: ${text.slice(0, 500)}`))), reject)
    })
    req.on('error', reject)
    pipeline(createReadStream(file, { highWaterMark: MiB }), req).catch(reject)
  })
}

/** GET whose body is hashed as it arrives and kept nowhere. */
export function getHashed(url: URL, headers: OutgoingHttpHeaders, signal?: AbortSignal): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, signal, headers }, (res) => {
      if (res.statusCode! >= 300) {
        readText(res).then((text) => reject(new Error(`GET answered ${res.statusCode}: ${text.slice(0, 500)}`)), reject)
        return
      }
      hashStream(res as Readable).then(resolve, reject)
    })
    req.on('error', reject)
    req.end()
  })
}

async function readText(res: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of res as AsyncIterable<Buffer>) if (text.length < 10_000) text += chunk.toString()
  return text
}
