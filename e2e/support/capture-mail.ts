import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import nodemailer from 'nodemailer'
import type { RunningBackplane } from './server'

export type MailOptions = Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0]

/** The port the server's SMTP capture server listens on (serve runs with --smtp-port 0: a free one). */
export async function captureSmtpPort(server: RunningBackplane): Promise<number> {
  const status = await server.rpc<{ state: string; port: number | null }>('outbox.status')
  if (status.state !== 'running' || status.port === null) throw new Error(`The capture server is ${status.state}.`)
  return status.port
}

/** Sends real mail over SMTP to the capture server, as the application under test would. */
export async function sendToCapture(server: RunningBackplane, ...messages: MailOptions[]): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: await captureSmtpPort(server), secure: false, ignoreTLS: true })
  try {
    for (const message of messages) await transport.sendMail(message)
  } finally {
    transport.close()
  }
}

/** Empties the outbox between tests (they share one server per file). */
export async function clearOutbox(server: RunningBackplane): Promise<void> {
  await server.rpc('outbox.delete', { ids: 'all' })
}

/** A loopback HTTP server that counts requests per path: a remote image host that can tell if it was asked. */
export interface RequestCounter {
  url(path: string): string
  count(path: string): number
  close(): Promise<void>
}

export async function startRequestCounter(): Promise<RequestCounter> {
  const counts = new Map<string, number>()
  const pixel = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    counts.set(path, (counts.get(path) ?? 0) + 1)
    res.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store' })
    res.end(pixel)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    count: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
