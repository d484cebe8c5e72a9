import { timingSafeEqual } from 'node:crypto'
import type { Readable } from 'node:stream'
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server'
import { toBackplaneError } from '../../core/errors'
import type { EventBus } from '../../core/events'
import type { Logger } from '../../core/log'
import type { ErrorPayload } from '../../core/schemas/error'
import type { SecretStore } from '../../core/secrets/secret-store'
import type { OutboxStore } from '../outbox/outbox-store'
import type { OutboxSettings } from './outbox-settings'
import { captureCertificate } from './tls-certificate'

export interface CaptureStatus {
  state: 'running' | 'stopped' | 'failed'
  address: string | null
  port: number | null
  startedAt: string | null
  received: number
  rejected: number
  connections: number
  starttls: boolean
  auth: OutboxSettings['smtp']['auth']
  error?: ErrorPayload
}

type SmtpError = Error & { responseCode?: number }

/**
 * The local SMTP capture server (smtp-server): PIPELINING, 8BITMIME and SMTPUTF8 advertised, SIZE
 * enforced with 552, optional AUTH and STARTTLS. A message is answered 250 only after the outbox has
 * committed it; a storage failure is a 451, so the sender retries instead of losing it.
 */
export class CaptureServer {
  private server: SMTPServer | undefined
  private applied: string | undefined
  private current: CaptureStatus = { state: 'stopped', address: null, port: null, startedAt: null, received: 0, rejected: 0, connections: 0, starttls: false, auth: 'off' }

  constructor(
    private readonly outbox: OutboxStore,
    private readonly secrets: SecretStore,
    private readonly dataDir: string,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  status(): CaptureStatus {
    return { ...this.current, connections: this.connections() }
  }

  /** Starts, restarts or stops the server to match the settings; a port given on the command line wins. */
  async apply(settings: OutboxSettings['smtp'], portOverride?: number): Promise<CaptureStatus> {
    const wanted = { ...settings, port: portOverride ?? settings.port }
    const key = JSON.stringify(wanted)
    if (key === this.applied && this.current.state === 'running') return this.status()
    await this.stop()
    this.applied = key
    if (!wanted.enabled) return this.status()
    try {
      await this.start(wanted)
    } catch (err) {
      const error = toBackplaneError(err)
      this.current = { ...this.current, state: 'failed', error: error.toPayload() }
      this.log.warn(`SMTP capture server not started on ${wanted.host}:${wanted.port}: ${error.message}`)
    }
    this.events.emit('capture.status', this.status())
    return this.status()
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
    this.current = { ...this.current, state: 'stopped', address: null, port: null, startedAt: null }
  }

  private async start(settings: OutboxSettings['smtp']): Promise<void> {
    const tls = settings.starttls ? await captureCertificate(this.dataDir) : undefined
    const users = await this.loadUsers(settings)
    const disabled = [...(settings.auth === 'off' ? ['AUTH'] : []), ...(settings.starttls ? [] : ['STARTTLS'])]
    const server = new SMTPServer({
      name: 'localhost',
      banner: 'Backplane capture server',
      size: Math.round(settings.maxSizeMB * 1024 * 1024),
      disabledCommands: disabled,
      authOptional: settings.auth !== 'listed',
      allowInsecureAuth: !settings.requireTls,
      disableReverseLookup: true,
      logger: false,
      ...(tls ?? {}),
      onAuth: (auth, _session, callback) => this.authenticate(settings.auth, users, auth, callback),
      onMailFrom: (_address, session, callback) => callback(settings.requireTls && !session.secure ? smtpError(530, 'Must issue a STARTTLS command first') : null),
      onData: (stream, session, callback) => void this.receive(stream, session, callback),
    })
    server.on('error', (err) => this.log.warn(`SMTP capture: ${err.message}`))
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err)
      server.server.once('error', onError)
      server.listen(settings.port, settings.host, () => {
        server.server.off('error', onError)
        resolve()
      })
    })
    const address = server.server.address()
    const port = typeof address === 'object' && address ? address.port : settings.port
    this.server = server
    this.current = { state: 'running', address: `${settings.host}:${port}`, port, startedAt: new Date().toISOString(), received: 0, rejected: 0, connections: 0, starttls: settings.starttls, auth: settings.auth }
    this.log.info(`SMTP capture server on ${settings.host}:${port}`)
  }

  private async receive(stream: Readable & { sizeExceeded?: boolean }, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): Promise<void> {
    const chunks: Buffer[] = []
    try {
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.once('end', resolve)
        stream.once('error', reject)
      })
    } catch (err) {
      callback(smtpError(451, `Receiving failed: ${(err as Error).message}`))
      return
    }
    if (stream.sizeExceeded) {
      this.current.rejected++
      callback(smtpError(552, 'Message exceeds the maximum size of this server; it was not stored'))
      return
    }
    const user = session.user as string | undefined
    try {
      const ids = await this.outbox.receive({
        raw: Buffer.concat(chunks),
        envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
        source: 'smtp',
        ...(user ? { authUser: user } : {}),
        client: `${session.remoteAddress} (${session.clientHostname || session.hostNameAppearsAs})`,
      })
      this.current.received++
      callback(null, `Stored as ${ids.join(', ')}`)
    } catch (err) {
      this.log.error(`SMTP capture could not store a message: ${(err as Error).message}`)
      callback(smtpError(451, 'Local error in processing; try again'))
    }
  }

  private authenticate(mode: OutboxSettings['smtp']['auth'], users: Map<string, string>, auth: SMTPServerAuthentication, callback: (err: Error | null | undefined, response?: { user: string }) => void): void {
    if (mode === 'any') return callback(null, { user: auth.username ?? 'anonymous' })
    const expected = users.get(auth.username ?? '')
    const given = Buffer.from(auth.password ?? '')
    if (expected !== undefined && given.length === Buffer.byteLength(expected) && timingSafeEqual(given, Buffer.from(expected))) {
      return callback(null, { user: auth.username! })
    }
    callback(smtpError(535, 'Authentication credentials invalid'))
  }

  private async loadUsers(settings: OutboxSettings['smtp']): Promise<Map<string, string>> {
    const users = new Map<string, string>()
    for (const user of settings.users) {
      const password = user.password ? await this.secrets.get(user.password.$secret) : undefined
      if (password !== undefined) users.set(user.username, password)
    }
    return users
  }

  private connections(): number {
    const connections = (this.server as unknown as { connections?: Set<unknown> } | undefined)?.connections
    return connections?.size ?? 0
  }
}

function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode: code })
}
