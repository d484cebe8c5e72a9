import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import type { RedisOptions } from 'ioredis'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { passwordSpan } from '../../../core/url-credentials'

/** One server of LOCATION, as ioredis connects to it, and as messages name it (never with its password). */
export interface RedisServer {
  connect: RedisOptions
  /** `redis://host:6379/1`, `rediss://…`, `unix:///run/redis.sock?db=1`: what errors and the health report show. */
  display: string
}

export interface ServerOverrides {
  password?: string | undefined
  username?: string | undefined
  db?: number | undefined
  /** PEM text of the CA that signs a rediss:// server's certificate. */
  tlsCa?: string | undefined
}

const SCHEMES = new Set(['redis:', 'rediss:', 'unix:'])
const MAX_DB = 15_999

/**
 * Reads one LOCATION URL as redis-py's `Redis.from_url()` (which Django and django-redis use) reads it:
 * `redis://[[user]:password@]host[:port][/db]`, `rediss://` for TLS, `unix://[[user]:password@]/path?db=N`;
 * `?db=` and `?password=` work in all three, the path's number wins over `?db=` as in redis-py.
 * The password is taken up to the last "@" (as Backplane's secret store splits it), so one typed
 * unencoded with "@" or "/" in it still reads whole; percent-escapes are decoded, as redis-py does.
 */
export function parseLocation(text: string, overrides: ServerOverrides = {}): RedisServer {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(text.trim())
  if (!scheme || !SCHEMES.has(scheme[1]!.toLowerCase())) {
    throw invalid(`"${withoutPassword(text)}" is not a Redis URL.`, 'Write it as Django\'s LOCATION: redis://host:6379/0, rediss://host:6380/0 (TLS) or unix:///path/to/redis.sock?db=0.')
  }
  const protocol = scheme[1]!.toLowerCase()
  const trimmed = text.trim()
  const start = scheme[0].length
  // The credentials end at the last "@" before the path (for unix://, before the socket's "/").
  const end = protocol === 'unix:' ? Math.max(trimmed.indexOf('@/', start) + 1, start) : authorityEnd(trimmed, start)
  let username: string | undefined
  let password: string | undefined
  let rest = trimmed.slice(start)
  const at = trimmed.lastIndexOf('@', end - 1)
  if (at >= start) {
    const span = passwordSpan(trimmed, start, end)
    const userText = trimmed.slice(start, span ? span.colon : at)
    username = userText ? decode(userText) : undefined
    password = span ? decode(trimmed.slice(span.colon + 1, span.at)) : undefined
    rest = trimmed.slice(at + 1)
  }
  const url = parseUrl(`${protocol === 'unix:' ? 'unix://' : 'redis://'}${rest}`, text)
  const query = url.searchParams
  password = overrides.password || password || query.get('password') || undefined
  username = overrides.username || username || query.get('username') || undefined
  const pathDb = protocol === 'unix:' ? '' : url.pathname.replace(/^\//, '')
  const db = overrides.db ?? dbNumber(pathDb || query.get('db') || '0', text)

  const connect: RedisOptions = { db }
  if (password !== undefined) connect.password = password
  if (username !== undefined) connect.username = username
  let display: string
  if (protocol === 'unix:') {
    const path = decodeURIComponent(url.pathname)
    if (!path || path === '/') throw invalid(`"${withoutPassword(text)}" names no socket.`, 'Give the socket\'s path: unix:///run/redis/redis.sock?db=0.')
    connect.path = path
    display = `unix://${path}?db=${db}`
  } else {
    if (!url.hostname) throw invalid(`"${withoutPassword(text)}" names no host.`, 'Write it as redis://host:6379/0.')
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    const port = url.port ? Number(url.port) : 6379
    connect.host = host
    connect.port = port
    display = `${protocol}//${url.hostname}:${port}/${db}`
    if (protocol === 'rediss:') {
      // Server-name checking stays on: there is no option to turn it off, only one to trust another CA.
      connect.tls = { servername: isIpAddress(host) ? undefined : host, rejectUnauthorized: true, ...(overrides.tlsCa ? { ca: overrides.tlsCa } : {}) }
    }
  }
  return { connect, display }
}

/** The PEM text of the CA file, read once when the alias is built; a relative path is relative to the data directory. */
export async function readCaFile(path: string | undefined, dataDir: string): Promise<string | undefined> {
  if (!path) return undefined
  const full = isAbsolute(path) ? path : resolve(dataDir, path)
  try {
    return await readFile(full, 'utf8')
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_TLS_FILE, `Cannot read the CA file (tlsCaFile) "${full}" (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, {
      hint: 'Give the path of the PEM file of the CA that signed the server\'s certificate.',
      cause: err,
    })
  }
}

/** Where a redis:// URL's authority ends: at the first "/" or "?" after the last "@" that precedes one (a password may hold "/"). */
function authorityEnd(text: string, start: number): number {
  const at = text.lastIndexOf('@')
  const from = at >= start ? at : start
  const slash = text.slice(from).search(/[/?]/)
  return slash < 0 ? text.length : from + slash
}

function parseUrl(text: string, original: string): URL {
  try {
    return new URL(text)
  } catch {
    throw invalid(`"${withoutPassword(original)}" is not a valid URL.`, 'Write it as redis://host:6379/0; a password with special characters may be written percent-encoded.')
  }
}

function dbNumber(text: string, original: string): number {
  const db = Number(text)
  if (!/^\d+$/.test(text) || db > MAX_DB) throw invalid(`"${withoutPassword(original)}" names database "${text}", which is not a number.`, 'End the URL with the database number: redis://host:6379/0.')
  return db
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':')
}

/** The URL as messages may show it: the password, if any, cut out. */
export function withoutPassword(text: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)
  if (!scheme) return text
  const span = passwordSpan(text, scheme[0].length, text.length)
  return span ? text.slice(0, span.colon) + text.slice(span.at) : text
}

function invalid(message: string, hint: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_OPTIONS, message, { hint })
}
