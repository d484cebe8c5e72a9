import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { generate } from 'selfsigned'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'

/** A message the test server accepted. */
export interface ReceivedMessage {
  raw: Buffer
  from: string
  to: string[]
  /** Which connection carried it (1 for the first connection the server saw). */
  connection: number
}

export interface TestSmtpServer {
  host: '127.0.0.1'
  port: number
  /** Connections the server accepted so far. */
  readonly connections: number
  /** Connections open right now. */
  readonly open: number
  readonly messages: ReceivedMessage[]
  /** Common names of the client certificates presented, in order. */
  readonly clientCertificates: string[]
  close(): Promise<void>
}

export interface TestSmtpOptions {
  /** 'starttls' offers STARTTLS (and AUTH only after it); 'implicit' speaks TLS from the first byte. Default: plain. */
  tls?: 'starttls' | 'implicit'
  certificate?: { key: string; cert: string }
  /** Accounts for AUTH; without them AUTH is not offered. */
  users?: Record<string, string>
  /** Recipients refused at RCPT TO, with the reply text (the code is 550). */
  refuse?: Record<string, string>
  /** Ask for a client certificate (accepted whatever it is, and recorded). */
  requestClientCertificate?: boolean
  /** More smtp-server options. */
  server?: Partial<SMTPServerOptions>
}

/**
 * A real SMTP server (smtp-server, nodemailer's sibling) on 127.0.0.1 and a free port, recording each
 * connection and message, for the smtp engine's tests.
 */
export async function startSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMessage[] = []
  const clientCertificates: string[] = []
  let connections = 0
  let open = 0
  const connectionOf = new Map<string, number>()
  const users = options.users
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    ...(options.certificate ? { key: options.certificate.key, cert: options.certificate.cert } : {}),
    ...(options.tls === 'implicit' ? { secure: true } : {}),
    ...(options.requestClientCertificate ? { requestCert: true, rejectUnauthorized: false } : {}),
    disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(users ? [] : ['AUTH'])],
    allowInsecureAuth: !options.tls,
    authOptional: true,
    onConnect(session, callback) {
      connections++
      open++
      connectionOf.set(session.id, connections)
      callback()
    },
    onClose() {
      open--
    },
    onSecure(socket, _session, callback) {
      if (options.requestClientCertificate) {
        const cn = (socket as TLSSocket).getPeerCertificate().subject?.CN
        clientCertificates.push(Array.isArray(cn) ? cn.join(',') : (cn ?? '(none)'))
      }
      callback()
    },
    onAuth(auth, _session, callback) {
      if (users && auth.username !== undefined && users[auth.username] === auth.password) return callback(null, { user: auth.username })
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }))
    },
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.[address.address]
      if (refusal) return callback(Object.assign(new Error(refusal), { responseCode: 550 }))
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        messages.push({
          raw: Buffer.concat(chunks),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          connection: connectionOf.get(session.id) ?? 0,
        })
        callback()
      })
    },
    ...options.server,
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as AddressInfo).port
  return {
    host: '127.0.0.1',
    port,
    get connections() {
      return connections
    },
    get open() {
      return open
    },
    messages,
    clientCertificates,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A self-signed certificate for the given names (the first is the subject's CN), valid for a day. */
export async function selfSignedCertificate(dnsNames: string[], ips: string[] = []): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: dnsNames[0] ?? ips[0] ?? 'localhost' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [...dnsNames.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] }],
  })
  return { key: pems.private, cert: pems.cert }
}

/** A TCP server that accepts connections and never says a word: the greeting never comes. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A port on 127.0.0.1 where nothing listens (taken, then freed). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
