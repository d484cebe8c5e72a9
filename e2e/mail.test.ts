import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { ComposePage } from './pages/compose-page'
import { describeE2E } from './support/e2e-suite'

describeE2E('Mail compose', (ctx) => {
  it('sends a test message through the default (outbox) alias and shows the trace', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const compose = await ComposePage.open(app)
    await compose.write({ to: ['ada@example.test'], subject: 'Hello from E2E', text: 'It works.' })
    await compose.attach([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('attached') }])
    const result = await compose.send()
    expect(await result.getByRole('heading', { level: 2 }).textContent()).toBe('Sent')
    expect(await result.textContent()).toContain('1 message sent')
    expect(await result.getByRole('table', { name: 'Steps' }).textContent()).toContain('deliver')

    // It really is in the outbox, with its attachment, and the sidebar counts it as unread.
    const waited = await fetch(`${ctx.server.baseUrl}/api/v1/messages/wait?query=${encodeURIComponent('subject:"Hello from E2E"')}&timeout=10&token=${ctx.server.token}`)
    expect(waited.status).toBe(200)
    expect(await waited.json()).toMatchObject({ subject: 'Hello from E2E', to: ['ada@example.test'], attachments: 1 })
    await app.sectionLink('Mail').getByLabel('1 unread').waitFor()
  })

  it('will not send without a recipient', async () => {
    const app = await BackplaneApp.open(await ctx.open(), ctx.server)
    const compose = await ComposePage.open(app)
    await compose.form.getByRole('button', { name: /^Send through/ }).click()
    await compose.form.getByText('Add at least one recipient.').waitFor()
  })
})
