import { afterAll, describe, expect, it } from 'vitest'
import { mailContract } from '../../../../test/contracts/mail.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { MailBackend } from '../base'
import { memoryEngine, memoryOutboxOf, type MemoryMailBackend } from './memory'
import { dummyEngine } from './dummy'

const ctx = testContext('mail', { engine: 'memory' })
afterAll(() => ctx.cleanup())

let last: MemoryMailBackend | undefined
mailContract(
  'memory',
  async (options = {}) => (last = await createBackend<MemoryMailBackend>(memoryEngine, options, ctx)),
  async () => (last?.outbox ?? []).map((sent) => sent.raw.toString('utf8')),
)

describe("memory engine, as Django's locmem backend", () => {
  it('keeps every sent message in an outbox list that code can read', async () => {
    const backend = await createBackend<MailBackend>(memoryEngine, {}, ctx)
    await backend.sendMessages([{ from: 'App <app@example.test>', to: ['ada@example.test'], bcc: ['audit@example.test'], subject: 'Welcome', text: 'Hello Ada' }])
    const outbox = memoryOutboxOf(backend)!
    expect(outbox).toHaveLength(1)
    expect(outbox[0]!.message).toMatchObject({ subject: 'Welcome', text: 'Hello Ada' })
    expect(outbox[0]!.envelope).toEqual({ from: 'app@example.test', to: ['ada@example.test', 'audit@example.test'] })
    expect(outbox[0]!.raw.toString()).toMatch(/^Subject: Welcome\r$/m)
    expect(outbox[0]!.raw.toString()).not.toMatch(/^Bcc:/m)
    expect(outbox[0]!.messageId).toMatch(/^<.+@.+>$/)
    ;(backend as MemoryMailBackend).clear()
    expect(outbox).toHaveLength(0)
  })

  it('keeps only the newest maxMessages', async () => {
    const backend = await createBackend<MemoryMailBackend>(memoryEngine, { maxMessages: 3 }, ctx)
    await backend.sendMessages([1, 2, 3, 4, 5].map((n) => ({ to: ['a@example.test'], subject: `n${n}` })))
    expect(backend.outbox.map((sent) => sent.message?.subject)).toEqual(['n3', 'n4', 'n5'])
    const health = await backend.check()
    expect(health.steps.at(-1)?.detail).toBe('3 of 3 messages kept')
  })

  it('is not mistaken for another engine', async () => {
    expect(memoryOutboxOf(await createBackend<MailBackend>(dummyEngine, {}, ctx))).toBeUndefined()
  })
})
