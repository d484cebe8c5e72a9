import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { mailContract } from '../../../../test/contracts/mail.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { OutboxStore } from '../../../services/outbox/outbox-store'
import type { MailBackend } from '../base'
import { outboxEngine } from './outbox'

const ctx = testContext('mail')
const store = new OutboxStore(join(ctx.dataDir, 'outbox.sqlite3'))
const withOutbox = { ...ctx, service: <T>(name: string) => (name === 'outbox' ? (store as T) : undefined) }
afterAll(async () => {
  await store.close()
  ctx.cleanup()
})

mailContract('outbox', (options = {}) => createBackend<MailBackend>(outboxEngine, options, withOutbox), async () => store.rawMessages())

describe('outbox engine', () => {
  it('says plainly when no outbox runs in this process', async () => {
    const backend = await createBackend<MailBackend>(outboxEngine, {}, testContext('mail'))
    await expect(backend.sendMessages([{ to: ['a@example.test'], text: 'x' }])).rejects.toMatchObject({ code: 'E_OUTBOX_UNAVAILABLE' })
    expect((await backend.check()).state).toBe('down')
  })
})
