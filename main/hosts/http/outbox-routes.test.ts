import MailComposer from 'nodemailer/lib/mail-composer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOutbox, type OutboxFixture } from '../../../test/support/outbox-fixture'

let box: OutboxFixture
beforeAll(async () => {
  box = await startOutbox()
})
afterAll(async () => box.close())

async function deliver(fields: ConstructorParameters<typeof MailComposer>[0]): Promise<{ id: number; raw: Buffer }> {
  const raw = await new MailComposer({ from: 'app@example.test', to: 'ada@example.test', ...fields }).compile().build()
  const [id] = await box.app.outbox.receive({ raw, envelope: { from: 'app@example.test', to: ['ada@example.test'] }, source: 'smtp' })
  await expect.poll(() => box.app.outbox.get(id!).parsed).toBe(true)
  return { id: id!, raw }
}

describe('outbox REST API for test suites', () => {
  it('lists messages with a total, filtered by a query', async () => {
    await deliver({ subject: 'Welcome aboard' })
    await deliver({ subject: 'Invoice 42' })
    const all = (await (await box.rest('/api/v1/messages?limit=1')).json()) as { total: number; messages: { subject: string }[] }
    expect(all.total).toBe(2)
    expect(all.messages.map((m) => m.subject)).toEqual(['Invoice 42'])
    const found = (await (await box.rest('/api/v1/messages?query=subject%3Awelcome')).json()) as { total: number }
    expect(found.total).toBe(1)
  })

  it('returns a parsed message, its exact bytes and its attachments', async () => {
    const { id, raw } = await deliver({ subject: 'With file', text: 'see file', html: '<p>see <b>file</b></p>', attachments: [{ filename: 'naïve.txt', content: 'contenu' }] })
    const message = (await (await box.rest(`/api/v1/messages/${id}`)).json()) as { subject: string; text: string; html: string; attachmentList: { filename: string }[]; headers: { name: string }[] }
    expect([message.subject, message.text.trim(), message.html.trim()]).toEqual(['With file', 'see file', '<p>see <b>file</b></p>'])
    expect(message.attachmentList.map((a) => a.filename)).toEqual(['naïve.txt'])
    expect(message.headers.map((h) => h.name.toLowerCase())).toContain('message-id')
    const rawResponse = await box.rest(`/api/v1/messages/${id}/raw`)
    expect(rawResponse.headers.get('content-type')).toBe('message/rfc822')
    expect(Buffer.from(await rawResponse.arrayBuffer()).equals(raw)).toBe(true)
    const attachment = await box.rest(`/api/v1/messages/${id}/attachments/0`)
    expect(await attachment.text()).toBe('contenu')
    expect(attachment.headers.get('content-disposition')).toContain("filename*=UTF-8''na%C3%AFve.txt")
  })

  it('waits for a message that arrives later, and answers 408 when none does', async () => {
    const waiting = box.rest('/api/v1/messages/wait?query=subject%3A%22password%20reset%22&timeout=10')
    setTimeout(() => void deliver({ subject: 'Your password reset link', text: 'https://example.test/reset/abc' }), 200)
    const response = await waiting
    expect(response.status).toBe(200)
    expect(((await response.json()) as { text: string }).text).toContain('/reset/abc')
    const none = await box.rest('/api/v1/messages/wait?query=subject%3Anever&timeout=0.2')
    expect(none.status).toBe(408)
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('E_TIMEOUT')
  })

  it('accepts the token as ?token= and refuses requests without it', async () => {
    expect((await fetch(new URL('/api/v1/messages', box.http.url))).status).toBe(401)
    expect((await fetch(new URL(`/api/v1/messages?token=${box.token}`, box.http.url))).status).toBe(200)
  })

  it('deletes one message, then all', async () => {
    const { id } = await deliver({ subject: 'to delete' })
    expect((await box.rest(`/api/v1/messages/${id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await box.rest(`/api/v1/messages/${id}`)).status).toBe(404)
    expect((await box.rest('/api/v1/messages', { method: 'DELETE' })).status).toBe(200)
    expect(((await (await box.rest('/api/v1/messages')).json()) as { total: number }).total).toBe(0)
  })

  it('serves message HTML with remote content blocked unless allowed, and inline images inlined', async () => {
    const { id } = await deliver({
      subject: 'html',
      html: '<html><head></head><body><img src="cid:logo@x"><img src="https://tracker.example/p.gif"><script>alert(1)</script></body></html>',
      attachments: [{ filename: 'logo.png', content: Buffer.from('89504e47', 'hex'), cid: 'logo@x' }],
    })
    const blocked = await box.rest(`/mail-html/${id}`)
    const csp = blocked.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain('img-src data:;')
    expect(csp).toContain('sandbox')
    expect(csp).not.toContain('script-src')
    const body = await blocked.text()
    expect(body).toContain('src="data:image/png;base64,iVBORw=="')
    expect(body).toContain('<base target="_blank">')
    const allowed = await box.rest(`/mail-html/${id}?remote=1`)
    expect(allowed.headers.get('content-security-policy')).toContain('img-src data: https: http:')
  })
})
