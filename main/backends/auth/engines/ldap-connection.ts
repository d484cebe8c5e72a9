import { readFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { rootCertificates, type ConnectionOptions } from 'node:tls'
import { Client, type Entry, type Filter } from 'ldapts'
import { resolveInDataDir } from '../../../core/data-dir'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import { withTimeout } from '../../../core/timeout'
import { ldapError, LdapResult, resultCode, type LdapScene } from './ldap-errors'

export interface LdapServer {
  url: string
  startTls: boolean
  caFile?: string | undefined
  rejectUnauthorized: boolean
  timeout: number
}

export interface SearchRequest {
  scope: 'base' | 'one' | 'sub'
  filter: string | Filter
  attributes: string[]
  sizeLimit?: number
}

/** Enough to tell "several entries match" from "one does", without fetching a directory's worth. */
const SEARCH_SIZE_LIMIT = 2

/** Entries per page of a paged search (RFC 2696): OpenLDAP's default size limit, so a page is never cut. */
const PAGE_SIZE = 500

/**
 * One connection to the directory for one piece of work (a login, a lookup, a health check), opened by
 * withLdap() and always unbound and closed after it: ldapts connects on the first operation, so a
 * connection is never left open between calls, and every failure is a typed error with a hint.
 */
export class LdapConnection {
  private constructor(
    private readonly client: Client,
    private readonly server: LdapServer,
  ) {}

  static async open(server: LdapServer, dataDir: string): Promise<LdapConnection> {
    const tls = await tlsOptions(server, dataDir)
    // ldapts speaks TLS from the first byte whenever it is given TLS options: only for ldaps:// then.
    const implicitTls = /^ldaps:/i.test(server.url)
    const client = new Client({ url: server.url, timeout: server.timeout, connectTimeout: server.timeout, ...(implicitTls ? { tlsOptions: tls } : {}) })
    const connection = new LdapConnection(client, server)
    if (server.startTls) {
      const { hostname } = new URL(server.url)
      // ldapts upgrades the socket with tls.connect({ socket }), which checks the certificate against
      // "localhost" unless told the host: name it, or any server with a localhost certificate would pass.
      const upgrade = { ...tls, host: hostname, ...(isIP(hostname) ? {} : { servername: hostname }) }
      try {
        await withTimeout(client.startTLS(upgrade), server.timeout, `StartTLS with ${server.url}`, 'Is it an LDAP server that offers StartTLS on this port?')
      } catch (err) {
        await connection.close()
        // Servers without TLS configured answer the StartTLS request with protocolError or unavailable.
        if (resultCode(err) === LdapResult.protocolError || resultCode(err) === LdapResult.unavailable) {
          throw new BackplaneError(ErrorCode.E_TLS, `${server.url} does not offer StartTLS.`, { hint: 'Configure TLS on the server, or use ldaps:// if it listens for that.', cause: err })
        }
        throw connection.error(err, { what: 'starting TLS' })
      }
    }
    return connection
  }

  /**
   * A simple bind. An empty password is never sent: RFC 4513 §5.1.2 makes it an unauthenticated bind,
   * which servers answer with success, so a caller would take it for a correct password.
   */
  async bind(dn: string, password: string, scene: LdapScene): Promise<void> {
    if (!password) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `No password to bind as ${dn}: an empty one would be an unauthenticated bind.`, { hint: 'Enter the password.' })
    try {
      await this.client.bind(dn, password)
    } catch (err) {
      throw this.error(err, scene)
    }
  }

  /**
   * The entries found; more than `sizeLimit` (2 by default) is reported as `truncated`, not as an error.
   * Only for searches that need a few entries: ldapts drops the server's sizeLimitExceeded when a limit is
   * asked for, so a server limit below `sizeLimit` would pass unnoticed. Use searchAll() for lists.
   */
  async search(base: string, request: SearchRequest, scene: LdapScene): Promise<{ entries: Entry[]; truncated: boolean }> {
    try {
      const { searchEntries } = await this.client.search(base, { ...request, sizeLimit: request.sizeLimit ?? SEARCH_SIZE_LIMIT })
      return { entries: searchEntries, truncated: false }
    } catch (err) {
      if (resultCode(err) === LdapResult.sizeLimitExceeded) return { entries: [], truncated: true }
      throw this.error(err, scene)
    }
  }

  /** Whether the entry `dn` exists and matches the filter; a missing entry is not an error here. */
  async matches(dn: string, filter: string | Filter, scene: LdapScene): Promise<boolean> {
    try {
      const { searchEntries } = await this.client.search(dn, { scope: 'base', filter, attributes: ['1.1'] })
      return searchEntries.length > 0
    } catch (err) {
      if (resultCode(err) === LdapResult.noSuchObject) return false
      throw this.error(err, scene)
    }
  }

  /**
   * Every entry that matches, page by page, up to `max`: `more` when there were more. A server that cuts
   * the search at its size limit (OpenLDAP's 500 a search, paged or not, unless the bind account is
   * allowed more) is an error here: a partial list would pass for the whole one.
   */
  async searchAll(base: string, request: Omit<SearchRequest, 'sizeLimit'>, max: number, scene: LdapScene): Promise<{ entries: Entry[]; more: boolean }> {
    const entries: Entry[] = []
    const { more, cut } = await this.paged(base, request, max, scene, entries)
    if (cut) {
      throw new BackplaneError(ErrorCode.E_ENGINE_FAILED, `${this.server.url} stopped at its size limit after ${entries.length} entries while ${scene.what} (sizeLimitExceeded).`, {
        hint: 'Let the bind account read more entries: in OpenLDAP, limits dn.exact="<bindDn>" size.prtotal=unlimited (or a size.hard above the count); Active Directory pages without a total limit.',
        details: { entries: entries.length },
      })
    }
    return { entries: entries.slice(0, max), more }
  }

  /** How many entries match, paging through them; stops counting at `max`, or where the server's size limit stops it (`more` then). */
  async count(base: string, scope: 'one' | 'sub', filter: string, max: number, scene: LdapScene): Promise<{ count: number; more: boolean }> {
    const { count, more, cut } = await this.paged(base, { scope, filter, attributes: ['1.1'] }, max, scene)
    return { count: Math.min(count, max), more: more || cut }
  }

  /**
   * Pages through the search, keeping the entries in `keep` when given; stops once past `max` (`more`).
   * `cut` when the server stopped it at its size limit, with `count` the entries it had sent.
   */
  private async paged(base: string, request: Omit<SearchRequest, 'sizeLimit'>, max: number, scene: LdapScene, keep?: Entry[]): Promise<{ count: number; more: boolean; cut: boolean }> {
    let count = 0
    try {
      // No sizeLimit of ours: with one, ldapts would hide the server's sizeLimitExceeded.
      for await (const page of this.client.searchPaginated(base, { ...request, paged: { pageSize: PAGE_SIZE } })) {
        count += page.searchEntries.length
        keep?.push(...page.searchEntries)
        if (count > max) return { count, more: true, cut: false }
      }
      return { count, more: false, cut: false }
    } catch (err) {
      if (resultCode(err) === LdapResult.sizeLimitExceeded) return { count, more: false, cut: true }
      throw this.error(err, scene)
    }
  }

  /** The root DSE (RFC 4512 §5.1): naming contexts, vendor, supported versions; readable anonymously. */
  async rootDse(): Promise<Entry> {
    const { entries } = await this.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['namingContexts', 'vendorName', 'vendorVersion', 'supportedLDAPVersion'] }, { what: 'reading the root DSE' })
    return entries[0] ?? { dn: '' }
  }

  /** Unbinds and closes; never throws (the socket is destroyed whatever the server does). */
  async close(): Promise<void> {
    await withTimeout(this.client.unbind(), this.server.timeout, 'Unbinding').catch(() => undefined)
  }

  error(err: unknown, scene: LdapScene): BackplaneError {
    return ldapError(err, this.server.url, scene, this.server.timeout)
  }
}

/** Runs the work on a connection of its own, which is closed afterwards whatever happens. */
export async function withLdap<T>(server: LdapServer, dataDir: string, work: (connection: LdapConnection) => Promise<T>): Promise<T> {
  const connection = await LdapConnection.open(server, dataDir)
  try {
    return await work(connection)
  } finally {
    await connection.close()
  }
}

/** The first value of an attribute (names are case-insensitive in LDAP), or undefined. */
export function attribute(entry: Entry, name: string): string | undefined {
  const key = Object.keys(entry).find((k) => k !== 'dn' && k.toLowerCase() === name.toLowerCase())
  const value = key === undefined ? undefined : entry[key]
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined ? undefined : Buffer.isBuffer(first) ? first.toString('utf8') : String(first)
}

async function tlsOptions(server: LdapServer, dataDir: string): Promise<ConnectionOptions> {
  const options: ConnectionOptions = { rejectUnauthorized: server.rejectUnauthorized }
  if (!server.caFile) return options
  const path = resolveInDataDir(dataDir, server.caFile)
  try {
    // Besides the system CAs (Node's `ca` alone would replace them), so a public certificate still verifies.
    options.ca = [...rootCertificates, await readFile(path, 'utf8')]
  } catch (err) {
    throw new BackplaneError(ErrorCode.E_TLS_FILE, `Cannot read the CA file (caFile) "${path}" (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, {
      hint: 'Give the path of a PEM file that exists and is readable.',
    })
  }
  return options
}
