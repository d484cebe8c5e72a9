import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOutbox, type OutboxFixture } from '../../../test/support/outbox-fixture'
import { closedPort } from '../../../test/support/smtp-test-server'

let box: OutboxFixture
beforeAll(async () => {
  box = await startOutbox()
})
afterAll(async () => box.close())

// Through app.call, so the router checks the answer against the contract the send-test screen renders.
describe('mail.sendTest through an smtp alias', () => {
  it("returns the session's steps and transcript, here against Backplane's own capture server", async () => {
    await box.app.call('settings.saveAlias', { kind: 'mail', name: 'loop', engine: 'smtp', options: { host: '127.0.0.1', port: box.smtpPort }, secrets: {} })
    const trace = await box.app.call('mail.sendTest', { alias: 'loop', messages: [{ from: 'app@example.test', to: ['ada@example.test'], subject: 'Loop', text: 'Round trip' }] })
    expect(trace.ok, JSON.stringify(trace.diagnosis)).toBe(true)
    expect(trace.sent).toBe(1)
    expect(trace.steps.map((s) => s.name)).toEqual(['connect', 'greeting', 'EHLO', 'compose #1', 'MAIL FROM', 'RCPT TO', 'DATA', 'message data', 'QUIT'])
    expect(trace.transcript.find((line) => line.direction === 'server' && /^250 .*Stored as \d+/.test(line.text))).toBeDefined()
    await expect.poll(() => box.app.outbox.list({ query: 'subject:Loop' }).total).toBe(1)
  })

  it('returns the diagnosis of a failure instead of throwing', async () => {
    const port = await closedPort()
    await box.app.call('settings.saveAlias', { kind: 'mail', name: 'nowhere', engine: 'smtp', options: { host: '127.0.0.1', port }, secrets: {} })
    const trace = await box.app.call('mail.sendTest', { alias: 'nowhere', messages: [{ to: ['ada@example.test'], subject: 'x', text: 'x' }] })
    expect(trace).toMatchObject({ ok: false, sent: 0, error: { code: 'E_CONNECTION_REFUSED' }, diagnosis: { problem: 'refused', summary: expect.stringContaining(`127.0.0.1:${port}`) } })
  })
})
