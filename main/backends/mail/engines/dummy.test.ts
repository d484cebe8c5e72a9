import { afterAll, describe, expect, it } from 'vitest'
import { mailContract } from '../../../../test/contracts/mail.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { MailBackend } from '../base'
import { dummyEngine } from './dummy'

const ctx = testContext('mail', { engine: 'dummy' })
afterAll(() => ctx.cleanup())

mailContract('dummy', (options = {}) => createBackend<MailBackend>(dummyEngine, options, ctx), undefined, { validatesMessages: false })

describe("dummy engine, as Django's dummy backend", () => {
  it('counts every message as sent, looking at none of them', async () => {
    const backend = await createBackend<MailBackend>(dummyEngine, {}, ctx)
    expect(await backend.sendMessages([{ subject: 'no recipients' }, { to: ['a@example.test'] }, {}])).toBe(3)
    expect(await backend.open()).toBe(false)
    const health = await backend.check()
    expect(health).toMatchObject({ state: 'ok', summary: 'Sends nothing, by design.' })
  })
})
