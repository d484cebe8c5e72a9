import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import PostalMime from 'postal-mime'
import { summarizeMessage, unparsedSummary, type MessageSummary } from './message-summary'

interface Pending {
  resolve: (summary: MessageSummary) => void
}

/**
 * Parses captured mail off the main thread: the SMTP server and the database writer keep the main
 * thread, PostalMime (about 0.2 ms for a 7 KB message) runs in a worker. The worker is plain
 * JavaScript evaluated from a string, so it runs the same way from sources (tsx, vitest) and from the
 * bundle; it loads postal-mime's CommonJS build by absolute path.
 */
export class ParsePool {
  private worker: Worker | undefined
  private readonly pending = new Map<number, Pending>()
  private nextId = 0
  private closed = false

  async parse(raw: Buffer): Promise<MessageSummary> {
    const worker = this.ensureWorker()
    if (!worker) return parseInline(raw)
    const id = ++this.nextId
    if (this.pending.size === 0) worker.ref()
    const copy = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer
    return new Promise((resolve) => {
      this.pending.set(id, { resolve })
      worker.postMessage({ id, raw: copy }, [copy])
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await this.worker?.terminate()
    this.worker = undefined
    for (const [, p] of this.pending) p.resolve(unparsedSummary('the parser stopped'))
    this.pending.clear()
  }

  private ensureWorker(): Worker | undefined {
    if (this.closed) return undefined
    if (this.worker) return this.worker
    try {
      const postalMime = createRequire(import.meta.url).resolve('postal-mime')
      const worker = new Worker(workerSource(), { eval: true, workerData: { postalMime } })
      worker.unref()
      worker.on('message', ({ id, summary }: { id: number; summary: MessageSummary }) => {
        this.pending.get(id)?.resolve(summary)
        this.pending.delete(id)
        // Idle, the parser does not keep the process alive.
        if (this.pending.size === 0) worker.unref()
      })
      // A crashed worker fails what it held (those messages keep their raw bytes and a warning) and is replaced on the next parse.
      worker.on('error', (err) => this.fail(worker, err.message))
      worker.on('exit', () => this.fail(worker, 'the parser exited'))
      this.worker = worker
      return worker
    } catch {
      return undefined
    }
  }

  private fail(worker: Worker, reason: string): void {
    if (this.worker !== worker) return
    this.worker = undefined
    for (const [, p] of this.pending) p.resolve(unparsedSummary(reason))
    this.pending.clear()
  }
}

async function parseInline(raw: Buffer): Promise<MessageSummary> {
  try {
    return summarizeMessage(await PostalMime.parse(raw))
  } catch (err) {
    return unparsedSummary((err as Error).message)
  }
}

function workerSource(): string {
  return `
const { parentPort, workerData } = require('node:worker_threads')
// Compilers that keep function names wrap them in __name(); the functions below may carry such calls.
const __name = (target) => target
const PostalMime = require(workerData.postalMime)
const summarizeMessage = ${summarizeMessage.toString()}
const unparsedSummary = ${unparsedSummary.toString()}
parentPort.on('message', async ({ id, raw }) => {
  let summary
  try {
    summary = summarizeMessage(await PostalMime.parse(raw))
  } catch (err) {
    summary = unparsedSummary(err && err.message ? err.message : String(err))
  }
  parentPort.postMessage({ id, summary })
})
`
}
