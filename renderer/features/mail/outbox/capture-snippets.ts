/**
 * How an application reaches the capture server, for the empty outbox. A server listening on every
 * interface (0.0.0.0, ::) is reached on loopback from this machine.
 */
export function connectHost(listenHost: string): string {
  if (listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '' || listenHost === '[::]') return '127.0.0.1'
  return listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost
}

export interface CaptureSnippets {
  url: string
  django: string
  nodemailer: string
}

export function captureSnippets(host: string, port: number): CaptureSnippets {
  const bare = host.replace(/^\[|\]$/g, '')
  return {
    url: `smtp://${host}:${port}`,
    django: [`EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"`, `EMAIL_HOST = "${bare}"`, `EMAIL_PORT = ${port}`].join('\n'),
    nodemailer: [`const transport = nodemailer.createTransport({`, `  host: '${bare}',`, `  port: ${port},`, `  secure: false,`, `})`].join('\n'),
  }
}

/** The host and port part of the status's "host:port" address. */
export function splitAddress(address: string): { host: string; port: number } | null {
  const match = /^(.*):(\d+)$/.exec(address)
  if (!match) return null
  return { host: match[1] ?? '', port: Number(match[2]) }
}
