import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import MailComposer from 'nodemailer/lib/mail-composer'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../core/events'
import { OutboxStore } from './outbox-store'

let dir: string
let store: OutboxStore
let events: EventBus
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backplane-outbox-'))
  events = new EventBus()
  store = new OutboxStore(join(dir, 'outbox.sqlite3'), events)
})
afterEach(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

function compose(fields: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer({ from: 'App <app@example.test>', to: 'ada@example.test', subject: 'Hello', text: 'Body', ...fields }).compile().build()
}

async function receive(raw: Buffer, to = ['ada@example.test'], extra: { authUser?: string } = {}): Promise<number> {
  const [id] = await store.receive({ raw, envelope: { from: 'app@example.test', to }, source: 'smtp', ...extra })
  await store.waitFor('', { timeoutMs: 2000, afterId: id! - 1 })
  await expect.poll(() => store.get(id!).parsed).toBe(true)
  return id!
}

describe('outbox store', () => {
  it('keeps the exact bytes and a parsed summary', async () => {
    const raw = await compose({ subject: 'Grüße aus Köln', cc: 'Bob <bob@example.test>', attachments: [{ filename: 'résumé.pdf', content: 'pdf' }] })
    const id = await receive(raw)
    expect(store.raw(id).equals(raw)).toBe(true)
    expect(store.get(id)).toMatchObject({ subject: 'Grüße aus Köln', from: 'App <app@example.test>', to: ['ada@example.test'], cc: ['Bob <bob@example.test>'], attachments: 1, isRead: false, parseWarning: null })
  })

  it('stores a message with no headers at all, with a warning', async () => {
    const id = await receive(Buffer.from('just some bytes\r\nwithout headers\r\n'))
    expect(store.get(id).parseWarning).toMatch(/no headers|no From header/)
    expect(store.raw(id).toString()).toContain('just some bytes')
  })

  it('searches with operators, words and phrases', async () => {
    const a = await receive(await compose({ subject: 'Password reset', text: 'Click the magic link to reset.', from: 'Accounts <accounts@shop.test>' }))
    const b = await receive(await compose({ subject: 'Your order shipped', text: 'Track it here', attachments: [{ filename: 'label.pdf', content: 'x' }] }), ['zoe@example.test', 'hidden@bcc.test'])
    const ids = (q: string) => store.list({ query: q }).messages.map((m) => m.id)
    expect(ids('from:accounts')).toEqual([a])
    expect(ids('subject:order')).toEqual([b])
    expect(ids('to:hidden@bcc.test')).toEqual([b])
    expect(ids('has:attachment')).toEqual([b])
    expect(ids('"magic link"')).toEqual([a])
    expect(ids('"link magic"')).toEqual([])
    expect(ids('res*')).toEqual([a])
    expect(ids('res')).toEqual([])
    expect(ids('-subject:order')).toEqual([a])
    expect(ids('is:unread')).toEqual([b, a])
    await store.markRead([a], true)
    expect(ids('is:unread')).toEqual([b])
    expect(ids(`after:${new Date(Date.now() - 60_000).toISOString()}`)).toEqual([b, a])
    expect(ids('before:2000-01-01')).toEqual([])
    expect(() => store.list({ query: 'has:nothing' })).toThrow(expect.objectContaining({ code: 'E_INVALID_QUERY', hint: 'Use has:attachment.' }))
  })

  it('matches a full address exactly, never as part of a longer one', async () => {
    const exact = await receive(await compose({ from: 'Ada <ADA@example.test>' }), ['bob@example.test'])
    await receive(await compose({ from: 'x.ada@example.test' }), ['x.bob@example.test'])
    await receive(await compose({ from: 'Eve <ada@example.test.evil>' }), ['bob@example.test.evil'])
    const bare = await receive(await compose({ from: 'ada@example.test', to: 'Bob <bob@example.test>' }), ['carol@example.test'])
    const ids = (q: string) => store.list({ query: q }).messages.map((m) => m.id)
    expect(ids('from:ada@example.test')).toEqual([bare, exact])
    expect(ids('to:bob@example.test')).toEqual([bare, exact])
    expect(ids('to:carol@example.test')).toEqual([bare])
    expect(ids('from:ada@example.tes')).toEqual([])
    const punctuation = await receive(await compose({ from: '_@example.test' }), ['x@example.test'])
    expect(ids('from:_@example.test')).toEqual([punctuation])
  })

  it('keeps counts per mailbox, split by recipient domain when asked', async () => {
    store.setMailboxPolicy('recipient-domain')
    await receive(await compose({}), ['a@one.test', 'b@two.test'])
    await receive(await compose({}), ['c@one.test'])
    expect(store.counts()).toEqual([
      { mailbox: 'one.test', total: 2, unread: 2 },
      { mailbox: 'two.test', total: 1, unread: 1 },
    ])
    expect(store.list({ mailbox: 'one.test' }).total).toBe(2)
  })

  it('waits for a matching message that arrives later, and times out otherwise', async () => {
    const waiting = store.waitFor('subject:reset', { timeoutMs: 5000 })
    await receive(await compose({ subject: 'Welcome' }))
    await receive(await compose({ subject: 'Reset your password' }))
    expect((await waiting)?.subject).toBe('Reset your password')
    expect(await store.waitFor('subject:never', { timeoutMs: 100 })).toBeUndefined()
  })

  it('answers a wait only once the match is parsed, so its attachments are counted', async () => {
    const raw = await compose({ subject: 'Invoice', attachments: [{ filename: 'invoice.pdf', content: 'pdf' }] })
    await store.receive({ raw, envelope: { from: 'app@example.test', to: ['ada@example.test'] }, source: 'smtp' })
    expect(await store.waitFor('subject:invoice', { timeoutMs: 5000 })).toMatchObject({ parsed: true, attachments: 1 })
  })

  it('deletes, and applies retention by count', async () => {
    const ids: number[] = []
    for (let i = 0; i < 5; i++) ids.push(await receive(await compose({ subject: `m${i}` })))
    await store.delete([ids[0]!])
    expect(() => store.raw(ids[0]!)).toThrow(/No message/)
    expect(await store.applyRetention({ maxMessages: 2 })).toBe(2)
    expect(store.list().messages.map((m) => m.subject)).toEqual(['m4', 'm3'])
    expect(store.list({ query: 'm1' }).messages).toEqual([])
    await store.delete('all')
    expect(store.list().total).toBe(0)
  })

  it('announces each message once it is indexed', async () => {
    const seen: unknown[] = []
    events.on('outbox.received', (p) => seen.push(p))
    await receive(await compose({ subject: 'Ping' }))
    expect(seen).toEqual([expect.objectContaining({ subject: 'Ping', mailbox: 'default' })])
  })
})
