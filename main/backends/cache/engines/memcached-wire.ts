import type { Socket } from 'node:net'
import * as memjs from 'memjs'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import type { Logger } from '../../../core/log'
import { withTimeout } from '../../../core/timeout'
import { shorten } from './memcached-keys'
import type { MemcachedServerSpec } from './memcached-ring'

/**
 * One memcached server, spoken to over memjs's binary-protocol connection. The commands are built
 * here rather than taken from memjs's Client because memjs sets no flags (pymemcache keeps its
 * serializer's choice in them), cannot send the "expired" time Django asks for with timeout 0,
 * creates missing keys on incr and reads 64-bit counters wrongly.
 */

/** An item as memcached holds it: the bytes and the 32-bit flags the client stored with them. */
export interface MemcachedItem {
  bytes: Buffer
  flags: number
}

export interface ConnectionOptions {
  connectTimeoutSeconds: number
  commandTimeoutSeconds: number
  log: Logger
}

/** Binary protocol opcodes and statuses (memcached's protocol_binary.h). */
const OP = { get: 0x00, set: 0x01, add: 0x02, delete: 0x04, incr: 0x05, decr: 0x06, flush: 0x08, version: 0x0b, touch: 0x1c } as const
const STATUS = { ok: 0x00, notFound: 0x01, exists: 0x02, tooLarge: 0x03, invalid: 0x04, notStored: 0x05, nonNumeric: 0x06 } as const
const STATUS_TEXT: Record<number, string> = { 0x04: 'invalid arguments', 0x81: 'unknown command', 0x82: 'out of memory', 0x83: 'not supported', 0x84: 'internal error', 0x85: 'busy', 0x86: 'temporary failure' }
/** Binary incr/decr with this expiration fails on a missing key instead of creating it, as the text protocol (and Django) do. */
const NO_AUTOCREATE = 0xffffffff
const DEFAULT_ITEM_SIZE_MAX = 1024 * 1024
/** How often the backstop looks for calls past their deadline. */
const BACKSTOP_MS = 1000

interface Response {
  header: { status: number }
  extras: Buffer
  val: Buffer
}

/**
 * memjs's Server, with two faults of its socket handling mended. It fails pending requests on a socket
 * error or timeout, but not when the server just closes the connection (it was stopped): those would
 * wait for ever. And its 'close' handler forgets whatever socket is current, so an old socket closing
 * after a new one opened (a refused connect, then the next call) orphans the new one's requests.
 * Also, memjs would log in with MEMCACHE_USERNAME from the environment; Django's clients never do.
 */
class WatchedServer extends memjs.Server {
  constructor(spec: MemcachedServerSpec, options: memjs.ServerOptions) {
    // net.connect() takes a Unix socket's path where the port goes.
    super(spec.host, (spec.socketPath ?? spec.port) as number, undefined, undefined, options)
    Object.assign(this, { username: undefined, password: undefined })
  }

  override sock(sasl: boolean, go: (socket: Socket) => void): void {
    const self = this as unknown as { _socket?: Socket; errorCallbacks: Record<string, unknown> }
    const before = self._socket
    super.sock(sasl, go)
    const socket = self._socket
    if (!socket || socket === before) return
    const memjsClose = socket.listeners('close').find((fn) => String(fn).includes('_socket = undefined')) as (() => void) | undefined
    if (memjsClose) socket.removeListener('close', memjsClose)
    socket.on('close', () => {
      // Not the current socket: memjs already failed its requests (error, timeout) and may have opened another.
      if (self._socket !== socket) return
      memjsClose?.call(socket)
      if (Object.keys(self.errorCallbacks).length > 0) this.error(Object.assign(new Error('The server closed the connection.'), { code: 'ECONNRESET' }))
    })
  }
}

export class MemcachedConnection {
  readonly node: string
  private readonly client: memjs.Client
  private readonly deadlineMs: number
  private itemSizeMax: Promise<number> | undefined
  /** The item size limit once the server said it (or did not: then memcached's default). */
  private itemSizeKnown: number | undefined
  /** Calls waiting for their answer, by request number, each with the time the backstop fails it. */
  private readonly waiting = new Map<number, { reject: (error: Error) => void; deadline: number }>()
  private backstop: NodeJS.Timeout | undefined

  constructor(spec: MemcachedServerSpec, options: ConnectionOptions) {
    this.node = spec.node
    const server = new WatchedServer(spec, { timeout: options.commandTimeoutSeconds, conntimeout: options.connectTimeoutSeconds, keepAlive: true })
    // One attempt, no failover to another server: a fault is reported at once, never retried into a storm,
    // and a key is never read from a server Django would not read it from.
    this.client = new memjs.Client([server], { retries: 1, failover: false, logger: { log: (...args: unknown[]) => options.log.debug(args.map(String).join(' ')) } })
    // memjs's own timers should answer first; this only guarantees that no call waits for ever.
    this.deadlineMs = (options.connectTimeoutSeconds + options.commandTimeoutSeconds + 1) * 1000
  }

  async get(key: string): Promise<MemcachedItem | undefined> {
    const response = await this.perform(OP.get, key)
    if (response.header.status === STATUS.notFound) return undefined
    this.expectOk(response, 'get')
    return { bytes: response.val, flags: response.extras.length >= 4 ? response.extras.readUInt32BE(0) : 0 }
  }

  /** set or add; false when add found the key there. */
  async store(op: 'set' | 'add', key: string, item: MemcachedItem, exptime: number): Promise<boolean> {
    const extras = Buffer.allocUnsafe(8)
    extras.writeUInt32BE(item.flags >>> 0, 0)
    extras.writeUInt32BE(exptime >>> 0, 4)
    const response = await this.perform(OP[op], key, extras, item.bytes)
    const { status } = response.header
    if (status === STATUS.exists || status === STATUS.notStored) return false
    if (status === STATUS.tooLarge) {
      throw new BackplaneError(ErrorCode.E_TOO_LARGE, `memcached at ${this.node} refused the value of ${item.bytes.length} bytes as too large.`, {
        hint: "Memcached's item size limit (its -I option, 1 MB by default) counts the key and the item's header too: store less, or raise -I on the server.",
      })
    }
    this.expectOk(response, op)
    return true
  }

  async touch(key: string, exptime: number): Promise<boolean> {
    const extras = Buffer.alloc(4)
    extras.writeUInt32BE(exptime >>> 0, 0)
    return this.found(await this.perform(OP.touch, key, extras), 'touch')
  }

  async delete(key: string): Promise<boolean> {
    return this.found(await this.perform(OP.delete, key), 'delete')
  }

  /** memcached's incr/decr on the stored digits: undefined for a missing key; decr stops at 0. */
  async count(op: 'incr' | 'decr', key: string, delta: bigint): Promise<bigint | undefined> {
    const extras = Buffer.alloc(20)
    extras.writeBigUInt64BE(delta, 0)
    extras.writeUInt32BE(NO_AUTOCREATE, 16)
    const response = await this.perform(OP[op], key, extras)
    if (response.header.status === STATUS.notFound) return undefined
    if (response.header.status === STATUS.nonNumeric) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The value of "${shorten(key)}" is not a number memcached can ${op}.`, {
        hint: 'memcached counts only values stored as plain digits (Django stores ints so); this one holds a pickle or text.',
      })
    }
    this.expectOk(response, op)
    return response.val.readBigUInt64BE(0)
  }

  async flush(): Promise<void> {
    this.expectOk(await this.perform(OP.flush, ''), 'flush_all')
  }

  async version(): Promise<string> {
    const response = await this.perform(OP.version, '')
    this.expectOk(response, 'version')
    return response.val.toString('latin1')
  }

  /** The `stats` command (or `stats settings`, …) as name → value. */
  stats(group = ''): Promise<Record<string, string>> {
    const answer = new Promise<Record<string, string>>((resolve, reject) => {
      this.client.statsWithKey(group, (err, _server, stats) => (err || !stats ? reject(this.fault(err)) : resolve(stats)))
    })
    return withTimeout(answer, this.deadlineMs, `memcached at ${this.node}: stats`)
  }

  /** The server's item size limit (-I), read once; 1 MB, memcached's default, when it will not say. */
  maxItemSize(): Promise<number> {
    this.itemSizeMax ??= this.stats('settings').then(
      (settings) => (this.itemSizeKnown = Number(settings.item_size_max) || DEFAULT_ITEM_SIZE_MAX),
      () => {
        this.itemSizeMax = undefined // not reachable now: ask again next time
        return DEFAULT_ITEM_SIZE_MAX
      },
    )
    return this.itemSizeMax
  }

  /** The item size limit when it has been read, so that a set need not wait a turn for it. */
  knownMaxItemSize(): number | undefined {
    return this.itemSizeKnown
  }

  close(): void {
    this.client.close()
  }

  private found(response: Response, command: string): boolean {
    if (response.header.status === STATUS.notFound) return false
    this.expectOk(response, command)
    return true
  }

  private expectOk(response: Response, command: string): void {
    const { status } = response.header
    if (status === STATUS.ok) return
    const text = STATUS_TEXT[status] ?? `status 0x${status.toString(16)}`
    throw new BackplaneError(ErrorCode.E_ENGINE_FAILED, `memcached at ${this.node} answered ${command} with "${text}".`, {
      hint: status === 0x82 ? "memcached is out of memory for this item's size class: give it more (-m) or store less." : 'The server refused the command; its log may say why.',
    })
  }

  private perform(opcode: number, key: string, extras?: Buffer, value?: Buffer): Promise<Response> {
    const client = this.client
    client.incrSeq()
    const seq = client.seq
    const request = requestBuffer(opcode, key, extras, value, seq)
    return new Promise<Response>((resolve, reject) => {
      this.waiting.set(seq, { reject, deadline: Date.now() + this.deadlineMs })
      this.backstop ??= setInterval(() => this.expireLate(), BACKSTOP_MS).unref()
      client.perform(key, request, seq, (err: Error | null, response?: Response) => {
        if (!this.waiting.delete(seq)) return // the backstop already failed it
        if (err || !response) reject(this.fault(err))
        else resolve(response)
      })
    })
  }

  /**
   * memjs's own timers answer first; this only guarantees that no call waits for ever. One timer per
   * connection looks at the waiting calls once a second, instead of a timer and a race per call (which
   * cost more than a tenth of a round trip); it stops when nothing waits.
   */
  private expireLate(): void {
    const now = Date.now()
    for (const [seq, call] of this.waiting) {
      if (call.deadline > now) continue
      this.waiting.delete(seq)
      call.reject(new BackplaneError(ErrorCode.E_TIMEOUT, `memcached at ${this.node} took longer than ${this.deadlineMs / 1000} s.`, { hint: 'The server or engine may be overloaded, or a firewall may drop packets.' }))
    }
    if (this.waiting.size === 0) {
      clearInterval(this.backstop)
      this.backstop = undefined
    }
  }

  /** memjs's errors (Node socket errors, its own timeout texts, a bare string) as typed ones naming the server. */
  private fault(err: unknown): BackplaneError {
    const message = err instanceof Error ? err.message : String(err)
    if (/timed out/.test(message)) {
      return new BackplaneError(ErrorCode.E_TIMEOUT, `memcached at ${this.node} did not answer in time (${message})`)
    }
    if (/authentication/i.test(message)) return new BackplaneError(ErrorCode.E_AUTH, `memcached at ${this.node}: ${message}`)
    const typed = toBackplaneError(err, ErrorCode.E_CONNECTION)
    return new BackplaneError(typed.code as ErrorCode, `memcached at ${this.node}: ${message}`, { hint: typed.hint, cause: err })
  }
}

/**
 * A binary-protocol request (memcached's protocol_binary.h: a 24-byte header, then extras, key and
 * value) in one allocation, the key written straight in. memjs's makeRequestBuffer makes the same bytes
 * from four buffers, zero-filling each, which on a pipelined get costs about a tenth of the call.
 */
function requestBuffer(opcode: number, key: string, extras: Buffer | undefined, value: Buffer | undefined, seq: number): Buffer {
  const keyLength = Buffer.byteLength(key)
  const extrasLength = extras === undefined ? 0 : extras.length
  const valueLength = value === undefined ? 0 : value.length
  const bodyLength = extrasLength + keyLength + valueLength
  const request = Buffer.allocUnsafe(24 + bodyLength)
  request[0] = 0x80 // magic: a request
  request[1] = opcode
  request.writeUInt16BE(keyLength, 2)
  request[4] = extrasLength
  request[5] = 0 // data type
  request.writeUInt16BE(0, 6) // vbucket
  request.writeUInt32BE(bodyLength, 8)
  request.writeUInt32BE(seq >>> 0, 12) // opaque: memjs matches the answer to the call by it
  request.fill(0, 16, 24) // CAS
  if (extras !== undefined) extras.copy(request, 24)
  request.write(key, 24 + extrasLength, keyLength, 'utf8')
  if (value !== undefined) value.copy(request, 24 + extrasLength + keyLength)
  return request
}
