import { Readable, Writable } from 'node:stream'
import type { SftpChannel } from './sftp-session'

/**
 * SFTP moves a file in requests of at most one packet each, answered in turn. ssh2's own streams keep
 * one request in flight, so every chunk waits a full round trip; these keep up to DEPTH requests of CHUNK
 * bytes in flight (2 MiB, as OpenSSH's sftp client: 64 of 32 KiB), which bounds what a transfer holds.
 */
const DEPTH = 32
const CHUNK = 64 * 1024

const ignore = (): void => undefined

interface PendingRead {
  position: number
  length: number
  data: Promise<Buffer>
}

/** Bytes `start` to `end` (exclusive) of an open remote file, read ahead in parallel, in order. */
export class SftpFileReader extends Readable {
  private next: number
  private readonly pending: PendingRead[] = []
  private pumping = false
  private readonly chunk: number

  constructor(
    private readonly channel: SftpChannel,
    private readonly handle: Buffer,
    start: number,
    private readonly end: number,
    private readonly subject: string,
  ) {
    super()
    this.next = start
    this.chunk = Math.min(CHUNK, channel.maxChunk)
  }

  override _read(): void {
    void this.pump()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    for (const read of this.pending.splice(0)) void read.data.catch(ignore)
    // The handle goes with the stream; a connection already lost took it with it.
    if (!this.channel.lost) void this.channel.closeFile(this.handle, this.subject).catch(ignore)
    callback(error)
  }

  private fill(): void {
    while (this.pending.length < DEPTH && this.next < this.end) {
      const position = this.next
      const length = Math.min(this.chunk, this.end - position)
      const buffer = Buffer.allocUnsafe(length)
      const data = this.channel.read(this.handle, buffer, position, this.subject).then((n) => buffer.subarray(0, n))
      data.catch(ignore) // awaited in turn below; not an unhandled rejection meanwhile
      this.pending.push({ position, length, data })
      this.next += length
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      for (;;) {
        this.fill()
        const head = this.pending.shift()
        if (!head) return void this.push(null)
        const data = await head.data
        if (this.destroyed) return
        if (data.length < head.length) {
          // A short read: the end of a file that shrank meanwhile (0 bytes), or a server that sent less
          // than asked. The reads queued behind it start at the wrong offsets, so they go, and reading
          // goes on right after what arrived.
          for (const read of this.pending.splice(0)) void read.data.catch(ignore)
          if (data.length === 0) return void this.push(null)
          this.next = head.position + data.length
        }
        if (!this.push(data)) return
      }
    } catch (err) {
      this.destroy(err as Error)
    } finally {
      this.pumping = false
    }
  }
}

/** Writes into an open remote file from offset 0, with up to DEPTH writes in flight; finishes once all are acknowledged. */
export class SftpFileWriter extends Writable {
  private position = 0
  private inFlight = 0
  private failure: Error | undefined
  private wake: (() => void) | undefined
  private readonly chunk: number

  constructor(
    private readonly channel: SftpChannel,
    private readonly handle: Buffer,
    private readonly subject: string,
  ) {
    super()
    this.chunk = Math.min(CHUNK, channel.maxChunk)
  }

  /** Bytes acknowledged or in flight. */
  get bytesWritten(): number {
    return this.position
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.send(chunk).then(() => callback(this.failure), callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.settled(0).then(() => callback(this.failure), callback)
  }

  private async send(chunk: Buffer): Promise<void> {
    for (let offset = 0; offset < chunk.length && !this.failure; offset += this.chunk) {
      await this.settled(DEPTH - 1)
      if (this.failure) return
      const part = chunk.subarray(offset, offset + this.chunk)
      const position = this.position
      this.position += part.length
      this.inFlight++
      this.channel.write(this.handle, part, position, this.subject).then(
        () => this.done(undefined),
        (err: Error) => this.done(err),
      )
    }
  }

  private done(err: Error | undefined): void {
    this.inFlight--
    this.failure ??= err
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  /** Resolves once at most `most` writes are in flight, or one failed. */
  private async settled(most: number): Promise<void> {
    while (this.inFlight > most && !this.failure) await new Promise<void>((resolve) => (this.wake = resolve))
  }
}
