import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mailContract } from '../../../../test/contracts/mail.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { closedPort, selfSignedCertificate, startSilentServer, startSmtpServer, type TestSmtpServer } from '../../../../test/support/smtp-test-server'
import { BackplaneError } from '../../../core/errors'
import type { EmailMessage, MailBackend, SendTrace } from '../base'
import { smtpEngine } from './smtp'

const ctx = testContext('mail', { engine: 'smtp' })
const backends: MailBackend[] = []
const servers: { close(): Promise<void> }[] = []
let plain: TestSmtpServer
let localhostCert: { key: string; cert: string }

beforeAll(async () => {
  plain = await startSmtpServer()
  localhostCert = await selfSignedCertificate(['localhost'], ['127.0.0.1'])
  writeFileSync(join(ctx.dataDir, 'localhost.crt'), localhostCert.cert)
})
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()))
})
afterAll(async () => {
  await Promise.all([plain.close(), ...servers.map((s) => s.close())])
  ctx.cleanup()
})

async function smtp(options: Record<string, unknown>): Promise<MailBackend & { sendTraced(messages: readonly EmailMessage[]): Promise<SendTrace> }> {
  const backend = await createBackend<MailBackend & { sendTraced(messages: readonly EmailMessage[]): Promise<SendTrace> }>(smtpEngine, { timeout: 5, ...options }, ctx)
  backends.push(backend)
  return backend
}

async function server(options: Parameters<typeof startSmtpServer>[0]): Promise<TestSmtpServer> {
  const started = await startSmtpServer(options)
  servers.push(started)
  return started
}

const message = (n: number, to = `user${n}@example.test`): EmailMessage => ({ from: 'app@example.test', to: [to], subject: `Message ${n}`, text: `Body ${n}` })
const PASSWORD = 'Tr0ub4dor&3-horse'
const secretForms = (user: string, password: string) => [password, Buffer.from(password).toString('base64'), Buffer.from(`\0${user}\0${password}`).toString('base64')]

mailContract(
  'smtp',
  (options = {}) => smtp({ host: plain.host, port: plain.port, ...options }),
  async () => plain.messages.map((m) => m.raw.toString('utf8')),
)

describe('smtp engine: one connection per batch, as Django', () => {
  it('sends a batch of three messages over exactly one connection, then closes it', async () => {
    const before = plain.connections
    const backend = await smtp({ host: plain.host, port: plain.port })
    expect(await backend.sendMessages([message(1), message(2), message(3)])).toBe(3)
    expect(plain.connections - before).toBe(1)
    const batch = plain.messages.slice(-3)
    expect(batch.map((m) => m.to[0])).toEqual(['user1@example.test', 'user2@example.test', 'user3@example.test'])
    expect(new Set(batch.map((m) => m.connection)).size).toBe(1)
    await expect.poll(() => plain.open).toBe(0)
  })

  it('keeps an explicitly opened connection across batches until close()', async () => {
    const before = plain.connections
    const backend = await smtp({ host: plain.host, port: plain.port })
    expect(await backend.open()).toBe(true)
    expect(await backend.open()).toBe(false)
    await backend.sendMessages([message(1)])
    await backend.sendMessages([message(2)])
    expect(plain.open).toBe(1)
    await backend.close()
    expect(plain.connections - before).toBe(1)
    await expect.poll(() => plain.open).toBe(0)
  })

  it('without pooling opens a connection per batch; with pooling reuses one until it idles out', async () => {
    const unpooled = await smtp({ host: plain.host, port: plain.port })
    let before = plain.connections
    await unpooled.sendMessages([message(1)])
    await unpooled.sendMessages([message(2)])
    expect(plain.connections - before).toBe(2)

    const pooled = await smtp({ host: plain.host, port: plain.port, pool: true, poolIdleTimeout: 0.3 })
    before = plain.connections
    await pooled.sendMessages([message(3)])
    await pooled.sendMessages([message(4), message(5)])
    expect(plain.connections - before).toBe(1)
    expect(plain.open).toBe(1)
    await expect.poll(() => plain.open, { timeout: 3000 }).toBe(0)
  })

  it('reconnects when the server closed the pooled connection meanwhile', async () => {
    const impatient = await server({ server: { socketTimeout: 200 } })
    const pooled = await smtp({ host: impatient.host, port: impatient.port, pool: true, poolIdleTimeout: 30 })
    await pooled.sendMessages([message(1)])
    await expect.poll(() => impatient.open, { timeout: 3000 }).toBe(0)
    expect(await pooled.sendMessages([message(2)])).toBe(1)
    expect(impatient.connections).toBe(2)
    expect(impatient.messages).toHaveLength(2)
  })
})

describe('smtp engine: TLS', () => {
  it('refuses a self-signed STARTTLS certificate and names what it is for and how to allow it', async () => {
    const tls = await server({ tls: 'starttls', certificate: localhostCert })
    const backend = await smtp({ host: tls.host, port: tls.port, useTls: true })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.ok).toBe(false)
    expect(trace.diagnosis?.problem).toBe('tls-certificate')
    expect(trace.diagnosis?.summary).toMatch(/self-signed/)
    expect(trace.diagnosis?.certificateNames).toEqual(['localhost', '127.0.0.1'])
    expect(trace.diagnosis?.hint).toMatch(/caFile/)
    expect(trace.diagnosis?.hint).toMatch(/allowUntrustedCertificate/)
    expect(trace.steps.find((s) => s.name === 'STARTTLS')?.ok).toBe(true)
    expect(trace.steps.at(-1)).toMatchObject({ name: 'TLS handshake', ok: false })
    await expect(backend.sendMessages([message(1)])).rejects.toMatchObject({ code: 'E_TLS_CERTIFICATE' })
    expect(tls.messages).toHaveLength(0)
  })

  it('accepts it when allowed, or when trusted through caFile', async () => {
    const tls = await server({ tls: 'starttls', certificate: localhostCert })
    const allowed = await smtp({ host: tls.host, port: tls.port, useTls: true, allowUntrustedCertificate: true })
    expect(await allowed.sendMessages([message(1)])).toBe(1)
    const trusted = await smtp({ host: 'localhost', port: tls.port, useTls: true, caFile: 'localhost.crt' })
    const trace = await trusted.sendTraced([message(2)])
    expect(trace.ok, JSON.stringify(trace.diagnosis)).toBe(true)
    expect(trace.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['STARTTLS', 'TLS handshake']))
    expect(tls.messages.map((m) => m.to[0])).toEqual(['user1@example.test', 'user2@example.test'])
  })

  it('lists the names of a certificate issued for another host, and the name expected', async () => {
    const other = await selfSignedCertificate(['mail.example.test', 'smtp.example.test'])
    writeFileSync(join(ctx.dataDir, 'other.crt'), other.cert)
    const tls = await server({ tls: 'starttls', certificate: other })
    const backend = await smtp({ host: '127.0.0.1', port: tls.port, useTls: true, caFile: 'other.crt' })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.diagnosis?.problem).toBe('tls-certificate')
    expect(trace.diagnosis?.certificateNames).toEqual(['mail.example.test', 'smtp.example.test'])
    expect(trace.diagnosis?.summary).toContain('"127.0.0.1"')
    expect(trace.diagnosis?.hint).toMatch(/host/)
  })

  it('speaks implicit TLS from the first byte with useSsl', async () => {
    const implicit = await server({ tls: 'implicit', certificate: localhostCert })
    const backend = await smtp({ host: 'localhost', port: implicit.port, useSsl: true, caFile: 'localhost.crt' })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.ok, JSON.stringify(trace.diagnosis)).toBe(true)
    expect(trace.steps[0]?.name).toBe('DNS')
    expect(trace.steps[1]?.name).toBe('connect (TLS)')
    expect(trace.steps.some((s) => s.name === 'STARTTLS')).toBe(false)
    expect(implicit.messages).toHaveLength(1)
  })

  it('says to use STARTTLS when useSsl meets a plain server', async () => {
    const backend = await smtp({ host: plain.host, port: plain.port, useSsl: true })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.diagnosis?.problem).toBe('tls')
    expect(trace.diagnosis?.hint).toMatch(/useTls/)
  })

  it('refuses useTls together with useSsl, as Django does', () => {
    const parsed = smtpEngine.options.safeParse({ useTls: true, useSsl: true })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['useSsl'], message: expect.stringMatching(/mutually exclusive/) })
  })

  it('presents the client certificate from sslCertfile and sslKeyfile', async () => {
    const client = await selfSignedCertificate(['backplane-client'])
    writeFileSync(join(ctx.dataDir, 'client.crt'), client.cert)
    writeFileSync(join(ctx.dataDir, 'client.key'), client.key)
    const implicit = await server({ tls: 'implicit', certificate: localhostCert, requestClientCertificate: true })
    const backend = await smtp({ host: 'localhost', port: implicit.port, useSsl: true, caFile: 'localhost.crt', sslCertfile: 'client.crt', sslKeyfile: 'client.key' })
    expect(await backend.sendMessages([message(1)])).toBe(1)
    expect(implicit.clientCertificates).toEqual(['backplane-client'])
    const missing = await smtp({ host: 'localhost', port: implicit.port, useSsl: true, sslCertfile: 'nowhere.crt', sslKeyfile: 'client.key' })
    await expect(missing.sendMessages([message(2)])).rejects.toMatchObject({ code: 'E_TLS_FILE', message: expect.stringContaining('nowhere.crt') })
  })
})

describe('smtp engine: login', () => {
  it('logs in with AUTH and shows the exchange without the credentials', async () => {
    const authed = await server({ tls: 'starttls', certificate: localhostCert, users: { ada: PASSWORD } })
    const backend = await smtp({ host: 'localhost', port: authed.port, useTls: true, caFile: 'localhost.crt', username: 'ada', password: PASSWORD })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.ok, JSON.stringify(trace.diagnosis)).toBe(true)
    expect(trace.steps.find((s) => s.name === 'AUTH')).toMatchObject({ ok: true, detail: expect.stringMatching(/^235/) })
    expect(trace.transcript.find((l) => l.direction === 'client' && l.text.startsWith('AUTH'))?.text).toBe('AUTH PLAIN «credentials hidden»')
    const json = JSON.stringify(trace)
    for (const form of secretForms('ada', PASSWORD)) expect(json).not.toContain(form)
    expect(authed.messages).toHaveLength(1)
  })

  it('reports a refused login with the server text, never the password (AUTH PLAIN and LOGIN)', async () => {
    for (const method of ['PLAIN', 'LOGIN']) {
      const authed = await server({ tls: 'starttls', certificate: localhostCert, users: { ada: 'the-right-one' }, server: { authMethods: [method] } })
      const backend = await smtp({ host: 'localhost', port: authed.port, useTls: true, caFile: 'localhost.crt', username: 'ada', password: PASSWORD })
      const trace = await backend.sendTraced([message(1)])
      expect(trace.diagnosis).toMatchObject({ problem: 'auth', serverResponse: expect.stringMatching(/^535 .*credentials invalid/) })
      expect(trace.diagnosis?.summary).toContain('"ada"')
      expect(trace.steps.find((s) => s.name === 'AUTH')?.ok).toBe(false)
      const error = await backend.sendMessages([message(1)]).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(BackplaneError)
      expect((error as BackplaneError).code).toBe('E_AUTH')
      const everything = JSON.stringify([trace, (error as BackplaneError).toPayload(), (error as BackplaneError).message, ctx.logs])
      for (const form of secretForms('ada', PASSWORD)) expect(everything, method).not.toContain(form)
      if (method === 'LOGIN') expect(trace.transcript.filter((l) => l.text === '«credentials hidden»')).toHaveLength(2)
    }
  })
})

describe('smtp engine: diagnosis of failures', () => {
  it('quotes the server when it refuses a recipient with 550, naming the step', async () => {
    const picky = await server({ refuse: { 'nobody@example.test': '5.1.1 <nobody@example.test>: No such user here' } })
    const backend = await smtp({ host: picky.host, port: picky.port })
    const trace = await backend.sendTraced([message(1, 'nobody@example.test')])
    expect(trace.diagnosis).toMatchObject({ problem: 'rejected', serverResponse: '550 5.1.1 <nobody@example.test>: No such user here' })
    expect(trace.diagnosis?.summary).toContain('RCPT TO <nobody@example.test>')
    expect(trace.steps.find((s) => s.name === 'RCPT TO')).toMatchObject({ ok: false, detail: expect.stringContaining('No such user') })
    expect(trace.transcript.at(-2)).toMatchObject({ direction: 'client', text: 'QUIT' })
  })

  it('goes on with the next message after a refusal when failing silently, on the same connection', async () => {
    const picky = await server({ refuse: { 'nobody@example.test': 'No such user here' } })
    const loud = await smtp({ host: picky.host, port: picky.port })
    await expect(loud.sendMessages([message(1, 'nobody@example.test'), message(2)])).rejects.toMatchObject({ code: 'E_SMTP_REJECTED' })
    expect(picky.messages).toHaveLength(0)
    const quiet = await smtp({ host: picky.host, port: picky.port, failSilently: true })
    expect(await quiet.sendMessages([message(1, 'nobody@example.test'), message(2)])).toBe(1)
    expect(picky.messages.map((m) => m.to[0])).toEqual(['user2@example.test'])
    expect(picky.connections).toBe(2)
  })

  it('names host and port when the connection is refused', async () => {
    const port = await closedPort()
    const backend = await smtp({ host: '127.0.0.1', port })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.diagnosis?.problem).toBe('refused')
    expect(trace.diagnosis?.summary).toContain(`127.0.0.1:${port}`)
    expect(trace.steps).toEqual([expect.objectContaining({ name: 'connect', ok: false })])
    await expect(backend.sendMessages([message(1)])).rejects.toMatchObject({ code: 'E_CONNECTION_REFUSED' })
  })

  it('names the host that does not resolve', async () => {
    const backend = await smtp({ host: 'mail.backplane.invalid', port: 25 })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.diagnosis?.problem).toBe('dns')
    expect(trace.diagnosis?.summary).toContain('"mail.backplane.invalid"')
    expect(trace.steps[0]).toMatchObject({ name: 'DNS', ok: false })
  })

  it('says which step timed out when the server accepts but never greets', async () => {
    const silent = await startSilentServer()
    servers.push(silent)
    const backend = await smtp({ host: '127.0.0.1', port: silent.port, timeout: 0.3 })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.diagnosis?.problem).toBe('timeout')
    expect(trace.diagnosis?.summary).toMatch(/no greeting within 0\.3 s \(step: greeting\)/)
    expect(trace.steps.map((s) => [s.name, s.ok])).toEqual([
      ['connect', true],
      ['greeting', false],
    ])
    expect(trace.steps[1]!.ms).toBeGreaterThanOrEqual(250)
  })

  it('returns 0 instead of throwing when failing silently', async () => {
    const backend = await smtp({ host: '127.0.0.1', port: await closedPort(), failSilently: true })
    expect(await backend.sendMessages([message(1), message(2)])).toBe(0)
  })
})

describe('smtp engine: transcript and health', () => {
  it('records each command and reply with its time, and a step per command', async () => {
    const backend = await smtp({ host: plain.host, port: plain.port })
    const trace = await backend.sendTraced([message(1)])
    expect(trace.ok).toBe(true)
    const client = trace.transcript.filter((l) => l.direction === 'client').map((l) => l.text.split(/[ :]/)[0])
    expect(client).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA', 'QUIT'])
    expect(trace.transcript.some((l) => l.direction === 'server' && l.text.startsWith('354'))).toBe(true)
    const times = trace.transcript.map((l) => l.ms)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(trace.steps.map((s) => s.name)).toEqual(['connect', 'greeting', 'EHLO', 'compose #1', 'MAIL FROM', 'RCPT TO', 'DATA', 'message data', 'QUIT'])
    expect(trace.steps.every((s) => s.ok && s.ms >= 0)).toBe(true)
  })

  it('checks health by connecting, STARTTLS, AUTH and QUIT, each a step', async () => {
    const authed = await server({ tls: 'starttls', certificate: localhostCert, users: { ada: PASSWORD }, server: { banner: 'Test MTA' } })
    const backend = await smtp({ host: 'localhost', port: authed.port, useTls: true, caFile: 'localhost.crt', username: 'ada', password: PASSWORD })
    const report = await backend.check()
    expect(report.state, JSON.stringify(report.error)).toBe('ok')
    expect(report.steps.map((s) => s.name)).toEqual(['DNS', 'connect', 'greeting', 'EHLO', 'STARTTLS', 'TLS handshake', 'EHLO', 'AUTH', 'QUIT'])
    expect(report.version).toMatch(/Test MTA/)
    expect(report.summary).toBe('STARTTLS, logged in as ada')
    expect(authed.messages).toHaveLength(0)

    const down = await (await smtp({ host: '127.0.0.1', port: await closedPort() })).check()
    expect(down).toMatchObject({ state: 'down', error: { code: 'E_CONNECTION_REFUSED' } })
  })
})
