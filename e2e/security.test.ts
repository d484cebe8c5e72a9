import { expect, it } from 'vitest'
import { describeE2E } from './support/e2e-suite'
import { rawPost } from './support/raw-post'

describeE2E('Serve mode security', (ctx) => {
  it('answers 401 to an API call without the token', async () => {
    const response = await fetch(`${ctx.server.baseUrl}/rpc/settings.get`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('E_UNAUTHORIZED')
  })

  it('answers 403 to a request naming another host (DNS rebinding)', async () => {
    const status = await rawPost(`${ctx.server.baseUrl}/rpc/settings.get`, { host: 'evil.example:80', authorization: `Bearer ${ctx.server.token}` })
    expect(status).toBe(403)
  })

  it('says which URL to open when the page has no token', async () => {
    const page = await ctx.open()
    await page.goto(`${ctx.server.baseUrl}/`)
    await page.getByRole('heading', { name: 'Open the address Backplane printed' }).waitFor()
  })

  it('takes the token out of the address bar once read', async () => {
    const page = await ctx.open()
    await page.goto(ctx.server.url)
    await page.getByRole('navigation', { name: 'Sections' }).waitFor()
    expect(page.url()).not.toContain('token=')
    // A reload keeps working: the session cookie stands in for the token.
    await page.reload()
    await page.getByRole('navigation', { name: 'Sections' }).waitFor()
  })
})
