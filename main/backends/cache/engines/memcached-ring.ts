import { BackplaneError, ErrorCode } from '../../../core/errors'

/**
 * Which server holds a key, chosen exactly as pymemcache's HashClient chooses it for Django's
 * PyMemcacheCache, so an alias and a Django app with the same LOCATION read and write the same server
 * for every key. (memjs's own choice, a Java-style string hash modulo the server count, differs.)
 */

/** One memcached server of a LOCATION: what pymemcache calls it in its hash ring, and where to connect. */
export interface MemcachedServerSpec {
  /** pymemcache's node name: `host:port` (IPv6 without brackets), or a Unix socket's path. */
  node: string
  host: string
  port: number
  /** Set for `unix:/path` (and bare `/path`) locations. */
  socketPath?: string
}

const DEFAULT_PORT = 11211

/** Django's BaseMemcachedCache: a LOCATION string is split on `;` and `,`; a list is taken as it is. */
export function parseLocation(location: string | readonly string[]): MemcachedServerSpec[] {
  const parts = typeof location === 'string' ? location.split(/[;,]/) : [...location]
  // Django keeps the spaces around separators, which no host name survives; we trim them.
  const servers = parts.map((p) => p.trim()).filter((p) => p !== '').map(parseServer)
  if (servers.length === 0) {
    throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, 'The location names no memcached server.', { hint: 'Give one "host:port", or several separated by ";" or "," (as Django\'s LOCATION).' })
  }
  const nodes = new Set<string>()
  for (const server of servers) {
    if (nodes.has(server.node)) throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `The location names ${server.node} twice.`, { hint: 'List each server once.' })
    nodes.add(server.node)
  }
  return servers
}

/** pymemcache's normalize_server_spec() and HashClient._make_client_key(). */
function parseServer(server: string): MemcachedServerSpec {
  if (server.startsWith('unix:') || server.startsWith('/')) {
    const path = server.startsWith('unix:') ? server.slice(5) : server
    if (!path) throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `"${server}" names no socket file.`, { hint: 'Write a Unix socket as "unix:/path/to/memcached.sock".' })
    return { node: path, host: 'localhost', port: 0, socketPath: path }
  }
  let host = server
  let port = DEFAULT_PORT
  if (server.includes(':') && !server.endsWith(']')) {
    const colon = server.lastIndexOf(':')
    host = server.slice(0, colon)
    const digits = server.slice(colon + 1)
    port = Number(digits)
    if (!/^\d+$/.test(digits) || port < 1 || port > 65535) {
      throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `"${server}" has no valid port.`, { hint: 'Write each server as "host:port", e.g. "127.0.0.1:11211".' })
    }
  }
  if (host.startsWith('[')) host = host.replace(/^\[+|\]+$/g, '')
  if (!host) throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `"${server}" has no host.`, { hint: 'Write each server as "host:port", e.g. "127.0.0.1:11211".' })
  return { node: `${host}:${port}`, host, port }
}

/**
 * pymemcache's RendezvousHash.get_node(): the node with the highest murmur3_32 of "node-key"
 * (seed 0); a tie goes to the greater node name, as Python's max() of the two strings.
 */
export function selectServer<S extends { node: string }>(servers: readonly S[], key: string): S {
  if (servers.length === 1) return servers[0]!
  let best: S | undefined
  let bestScore = -1
  for (const server of servers) {
    const score = murmur3Python(`${server.node}-${key}`)
    if (score > bestScore || (score === bestScore && best && server.node > best.node)) {
      best = server
      bestScore = score
    }
  }
  return best!
}

/**
 * pymemcache's pure-Python murmur3_32 (client/murmur3.py), quirks included: it hashes a Python str
 * one character (code point) at a time and keeps only each code point's low byte, so for non-ASCII
 * keys it differs from MurmurHash3 of the UTF-8 bytes. Python's unbounded integers are reduced to
 * 32 bits here; every step but the masked right shifts keeps the low 32 bits the same.
 */
export function murmur3Python(text: string, seed = 0): number {
  const data: number[] = []
  for (const char of text) data.push(char.codePointAt(0)! & 0xff)
  const c1 = 0xcc9e2d51
  const c2 = 0x1b873593
  const length = data.length
  let h1 = seed >>> 0
  const roundedEnd = length & ~3
  for (let i = 0; i < roundedEnd; i += 4) {
    let k1 = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
    k1 = Math.imul(k1, c1)
    k1 = (k1 << 15) | (k1 >>> 17)
    k1 = Math.imul(k1, c2)
    h1 ^= k1
    h1 = (h1 << 13) | (h1 >>> 19)
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0
  }
  let k1 = 0
  const tail = length & 3
  if (tail === 3) k1 = data[roundedEnd + 2]! << 16
  if (tail >= 2) k1 |= data[roundedEnd + 1]! << 8
  if (tail >= 1) {
    k1 |= data[roundedEnd]!
    k1 = Math.imul(k1, c1)
    k1 = (k1 << 15) | (k1 >>> 17)
    k1 = Math.imul(k1, c2)
    h1 ^= k1
  }
  h1 ^= length
  h1 ^= h1 >>> 16
  h1 = Math.imul(h1, 0x85ebca6b)
  h1 ^= h1 >>> 13
  h1 = Math.imul(h1, 0xc2b2ae35)
  h1 ^= h1 >>> 16
  return h1 >>> 0
}
