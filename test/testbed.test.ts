import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { describeService, requireTool, type ServiceEnv } from './support/services'

// Proves that each testbed service speaks its own protocol on the configured port, with node:net only,
// so that a failure here points at the testbed and not at Backplane's client code.

/** Connects, writes `request`, collects bytes until `done` says the answer is complete, then closes the socket. */
function talk(host: string, port: number, request: Buffer | string | undefined, done: (received: Buffer) => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0)
    let outcome: { ok: true } | { ok: false; error: Error } | undefined
    const socket = connect({ host, port })
    const finish = (result: { ok: true } | { ok: false; error: Error }): void => {
      outcome ??= result
      socket.destroy()
    }
    socket.setTimeout(5_000, () => finish({ ok: false, error: new Error(`no complete answer from ${host}:${port} within 5 s; got ${JSON.stringify(received.toString('latin1'))}`) }))
    socket.on('connect', () => {
      if (request !== undefined) socket.write(request)
    })
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (done(received)) finish({ ok: true })
    })
    socket.on('error', (error) => finish({ ok: false, error }))
    socket.on('close', () => {
      const result = outcome ?? { ok: false, error: new Error(`${host}:${port} closed the connection after ${JSON.stringify(received.toString('latin1'))}`) }
      if (result.ok) resolve(received)
      else reject(result.error)
    })
  })
}

function need(env: ServiceEnv, key: string): string {
  const value = env[key]
  if (!value) throw new Error(`${key} is not set`)
  return value
}

function address(url: string): { host: string; port: number } {
  const parsed = new URL(url)
  return { host: parsed.hostname, port: Number(parsed.port) }
}

/** One BER TLV with a short or long form length, or undefined while incomplete. */
function tlv(buffer: Buffer, offset = 0): { tag: number; content: Buffer; end: number } | undefined {
  if (buffer.length < offset + 2) return undefined
  const tag = buffer[offset] ?? 0
  let length = buffer[offset + 1] ?? 0
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (buffer.length < start + count) return undefined
    length = buffer.readUIntBE(start, count)
    start += count
  }
  if (buffer.length < start + length) return undefined
  return { tag, content: buffer.subarray(start, start + length), end: start + length }
}

/** BER of an LDAPv3 simple BindRequest with messageID 1 (short lengths are enough for test DNs). */
function bindRequest(dn: string, password: string): Buffer {
  const wrap = (tag: number, content: Buffer): Buffer => {
    if (content.length > 127) throw new Error('bindRequest only encodes short lengths')
    return Buffer.concat([Buffer.from([tag, content.length]), content])
  }
  const bind = wrap(0x60, Buffer.concat([wrap(0x02, Buffer.from([3])), wrap(0x04, Buffer.from(dn)), wrap(0x80, Buffer.from(password))]))
  return wrap(0x30, Buffer.concat([wrap(0x02, Buffer.from([1])), bind]))
}

/** The resultCode of the BindResponse in an LDAPMessage. */
function bindResult(message: Buffer): number {
  const envelope = tlv(message)
  expect(envelope?.tag).toBe(0x30)
  const messageId = tlv(envelope?.content ?? Buffer.alloc(0))
  expect(messageId?.content[0]).toBe(1)
  const response = tlv(envelope?.content ?? Buffer.alloc(0), messageId?.end)
  expect(response?.tag).toBe(0x61) // [APPLICATION 1] BindResponse
  const resultCode = tlv(response?.content ?? Buffer.alloc(0))
  expect(resultCode?.tag).toBe(0x0a) // ENUMERATED
  return resultCode?.content[0] ?? -1
}

describeService('postgres', 'PostgreSQL testbed', (env) => {
  it('answers an SSLRequest with a single N or S byte', async () => {
    const { host, port } = address(need(env, 'BACKPLANE_TEST_POSTGRES_URL'))
    const sslRequest = Buffer.alloc(8)
    sslRequest.writeInt32BE(8, 0)
    sslRequest.writeInt32BE(80877103, 4)
    const answer = await talk(host, port, sslRequest, (received) => received.length >= 1)
    expect(answer).toHaveLength(1)
    expect(['N', 'S']).toContain(answer.toString('latin1'))
  })
})

describeService('mysql', 'MariaDB testbed', (env) => {
  it('greets a new connection with a protocol 10 handshake from MariaDB', async () => {
    const { host, port } = address(need(env, 'BACKPLANE_TEST_MYSQL_URL'))
    const packet = await talk(host, port, undefined, (received) => received.length >= 4 && received.length >= 4 + received.readUIntLE(0, 3))
    expect(packet[3]).toBe(0) // sequence id of the first packet
    const payload = packet.subarray(4, 4 + packet.readUIntLE(0, 3))
    expect(payload[0]).toBe(10)
    const serverVersion = payload.subarray(1, payload.indexOf(0, 1)).toString('latin1')
    expect(serverVersion).toContain('MariaDB')
  })
})

describeService('redis', 'Redis testbed', (env) => {
  const password = (): string => decodeURIComponent(new URL(need(env, 'BACKPLANE_TEST_REDIS_URL')).password) || need(env, 'BACKPLANE_TEST_PASSWORD')
  const lines = (count: number) => (received: Buffer) => received.toString('latin1').split('\r\n').length > count

  it('refuses a PING without the password', async () => {
    const { host, port } = address(need(env, 'BACKPLANE_TEST_REDIS_URL'))
    const answer = await talk(host, port, 'PING\r\n', lines(1))
    expect(answer.toString('latin1')).toMatch(/^-NOAUTH/)
  })

  it('answers a PING after AUTH with the testbed password', async () => {
    const { host, port } = address(need(env, 'BACKPLANE_TEST_REDIS_URL'))
    const answer = await talk(host, port, `AUTH ${password()}\r\nPING\r\n`, lines(2))
    expect(answer.toString('latin1').split('\r\n').slice(0, 2)).toEqual(['+OK', '+PONG'])
  })
})

describeService('memcached', 'Memcached testbed', (env) => {
  it('tells its version', async () => {
    const [host = '', port = ''] = need(env, 'BACKPLANE_TEST_MEMCACHED').split(':')
    const answer = await talk(host, Number(port), 'version\r\n', (received) => received.includes('\r\n'))
    expect(answer.toString('latin1')).toMatch(/^VERSION \d+\.\d+/)
  })
})

describeService('ldap', 'OpenLDAP testbed', (env) => {
  const bind = async (dn: string, password: string): Promise<number> => {
    const { host, port } = address(need(env, 'BACKPLANE_TEST_LDAP_URL'))
    return bindResult(await talk(host, port, bindRequest(dn, password), (received) => tlv(received) !== undefined))
  }

  it('accepts an anonymous bind', async () => {
    expect(await bind('', '')).toBe(0) // success
  })

  it('accepts ada with the testbed password and rejects a wrong one', async () => {
    const ada = need(env, 'BACKPLANE_TEST_LDAP_USER_DN')
    expect(await bind(ada, need(env, 'BACKPLANE_TEST_PASSWORD'))).toBe(0)
    expect(await bind(ada, 'not-the-password')).toBe(49) // invalidCredentials
  })
})

describeService('sftp', 'SFTP testbed', (env) => {
  it('greets a new connection with an SSH-2.0 banner', async () => {
    const { host, port } = address(need(env, 'BACKPLANE_TEST_SFTP_URL'))
    const banner = await talk(host, port, undefined, (received) => received.includes('\r\n'))
    expect(banner.toString('latin1')).toMatch(/^SSH-2\.0-/)
  })

  it('hands out a private key only its owner can read, as ssh requires', () => {
    expect(statSync(need(env, 'BACKPLANE_TEST_SFTP_KEY')).mode & 0o077).toBe(0)
  })
})

describe('testbed helpers', () => {
  it('runs tests whose tool is installed, and skips with an apt-get hint those whose tool is not', () => {
    vi.stubEnv('BACKPLANE_REQUIRE_SERVICES', '')
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(requireTool('sh', 'dash')).toBe(true)
      expect(requireTool('backplane-no-such-tool', 'backplane-tools')).toBe(false)
      expect(stderr).toHaveBeenCalledWith('skipped tests that run backplane-no-such-tool: backplane-no-such-tool not installed (apt-get install backplane-tools)\n')
      vi.stubEnv('BACKPLANE_REQUIRE_SERVICES', '1') // CI: run the tests anyway, so that they fail loudly
      expect(requireTool('backplane-no-such-tool', 'backplane-tools')).toBe(true)
    } finally {
      stderr.mockRestore()
      vi.unstubAllEnvs()
    }
  })

  it('falls back to the env file in $TESTBED_DIR when the environment names no service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backplane-testbed-env-'))
    try {
      writeFileSync(join(dir, 'env'), '# written by scripts/testbed.sh\nBACKPLANE_TEST_MEMCACHED=127.0.0.1:1\nexport BACKPLANE_TEST_PASSWORD="pw"\n')
      vi.stubEnv('TESTBED_DIR', dir)
      vi.stubEnv('BACKPLANE_TEST_MEMCACHED', '')
      vi.stubEnv('BACKPLANE_TEST_POSTGRES_URL', '')
      vi.resetModules() // the helper reads the env file once per module instance
      const fresh = await import('./support/services')
      expect(fresh.serviceEnv('memcached')).toEqual({ BACKPLANE_TEST_MEMCACHED: '127.0.0.1:1', BACKPLANE_TEST_PASSWORD: 'pw' })
      expect(fresh.serviceEnv('postgres')).toBeUndefined()
    } finally {
      vi.unstubAllEnvs()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
