import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { BackplaneApp } from './pages/backplane-app'
import { SettingsPage } from './pages/settings-page'
import { describeE2E } from './support/e2e-suite'
import { installRelayPoolEngine, seen, writeUntrustedEngine } from './support/relay-pool-engine'

interface AliasView {
  kind: string
  name: string
  engine: string
  options: Record<string, unknown>
  secrets: Record<string, boolean>
}

interface Report {
  state: string
  steps: { name: string; detail?: string }[]
}

const SECRET_KEY = 'e2e-secret-key-Zq81fW'
const PASSWORD_1 = 'e2e-alpha-pass-Lm30'
const PASSWORD_2 = 'e2e-beta-pass-Xv77'
const LOCATION_PASSWORD = 'e2e-queue-pass-Jr52'
const PRIVATE_KEY = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-e2e-Pk9', 'c2VjcmV0LWtleS1tYXRlcmlhbC1lMmU=', '-----END PRIVATE KEY-----', ''].join('\n')
/** The parts of the key that are its own (not the PEM armour). */
const KEY_LINES = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-e2e-Pk9', 'c2VjcmV0LWtleS1tYXRlcmlhbC1lMmU=']
/** Every secret of the story. */
const SECRETS = [SECRET_KEY, PASSWORD_1, PASSWORD_2, LOCATION_PASSWORD, ...KEY_LINES]

const detailsOf = (report: Report | undefined) => Object.fromEntries((report?.steps ?? []).map((step) => [step.name, step.detail]))

describeE2E('Nested options and secrets at any depth', (ctx) => {
  const relay = async () => (await ctx.server.rpc<{ aliases: AliasView[] }>('settings.get')).aliases.find((a) => a.kind === 'mail' && a.name === 'relay')
  const check = async () => detailsOf((await ctx.server.rpc<Report[]>('health.check', { kind: 'mail', alias: 'relay' }))[0])
  const expectNoSecretIn = (text: string, secrets = SECRETS) => {
    for (const secret of secrets) expect(text.includes(secret), `a secret (${secret.slice(0, 8)}…) is there`).toBe(false)
  }

  it('creates, edits and reopens an alias with secrets in a group, in a list, in a file and in a URL, each kept at its place', async () => {
    const engine = installRelayPoolEngine(ctx.server.home)
    const page = await ctx.open()
    const received: string[] = []
    page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => received.push(String(payload))))
    const settings = await SettingsPage.open(await BackplaneApp.open(page, ctx.server))
    const editor = await settings.add('mail')
    await editor.fill('Name', 'relay')
    // A module no alias uses yet: typed in, it is described on its own and its form generated.
    await editor.typeCustomModule(engine)

    const credentials = editor.group('Credentials')
    await editor.field('Access key', credentials).fill('AKIAE2E')
    await editor.field('Secret key', credentials).fill(SECRET_KEY)

    await editor.root.getByRole('button', { name: 'Add server' }).click()
    await editor.root.getByRole('button', { name: 'Add server' }).click()
    for (const [n, host, port, password] of [
      [1, 'alpha.test', '7001', PASSWORD_1],
      [2, 'beta.test', '7002', PASSWORD_2],
    ] as const) {
      const server = editor.group(`Server ${n}`)
      // A new server starts with the engine's default port and no password.
      expect(await editor.field('Port', server).inputValue()).toBe('6379')
      expect(await editor.field('Password', server).getAttribute('placeholder')).toBe('not set')
      await editor.field('Host', server).fill(host)
      await editor.field('Port', server).fill(port)
      await editor.field('Password', server).fill(password)
    }

    await editor.loadSecretFile('Private key', { name: 'relay.pem', text: PRIVATE_KEY })
    // The file's text becomes the new value without being put on screen.
    await editor.root.getByText(`Loaded from relay.pem: ${PRIVATE_KEY.length} characters, not shown.`).waitFor()
    expectNoSecretIn(await page.content(), KEY_LINES)

    await editor.fill('Location', `redis://queue:${LOCATION_PASSWORD}@cache.test:6379/0`)
    await editor.root.getByText('The password in this URL is moved to the secret store on save.').waitFor()

    // "Test" hands the typed secrets to the engine at their places, before anything is saved.
    const tested = await editor.test()
    expect(await tested.textContent()).toContain(`alpha.test:7001 password ${seen(PASSWORD_1)}`)
    await editor.saveAndWaitClosed()

    // Neither settings.json nor what the renderer is told holds any secret; the view has a marker at each place.
    const file = readFileSync(join(ctx.server.home, 'settings.json'), 'utf8')
    expectNoSecretIn(file)
    const view = await relay()
    expectNoSecretIn(JSON.stringify(view))
    expect(view?.options).toMatchObject({
      credentials: { accessKey: 'AKIAE2E', secretKey: { $stored: 'credentials/secretKey' } },
      servers: [
        { host: 'alpha.test', port: 7001, password: { $stored: 'servers/0/password' } },
        { host: 'beta.test', port: 7002, password: { $stored: 'servers/1/password' } },
      ],
      privateKey: { $stored: 'privateKey' },
      location: { $stored: 'location', $url: 'redis://queue@cache.test:6379/0' },
    })
    expect(view?.secrets).toEqual({ 'credentials/secretKey': true, 'servers/0/password': true, 'servers/1/password': true, privateKey: true, location: true })

    // The engine got each value where it belongs.
    expect(await check()).toMatchObject({
      credentials: `access key AKIAE2E, secret key ${seen(SECRET_KEY)}`,
      'server 1': `alpha.test:7001 password ${seen(PASSWORD_1)}`,
      'server 2': `beta.test:7002 password ${seen(PASSWORD_2)}`,
      'private key': seen(PRIVATE_KEY),
      location: `redis://queue@cache.test:6379/0 password ${seen(LOCATION_PASSWORD)}`,
    })

    // Remove the first server and point the queue at another database of the same host: the second server
    // keeps its own password, the URL its password.
    const again = await settings.edit('mail', 'relay')
    expect(await again.field('Password', again.group('Server 1')).getAttribute('placeholder')).toContain('stored')
    expect(await again.field('Location').inputValue()).toBe('redis://queue@cache.test:6379/0')
    await again.root.getByText('password stored', { exact: true }).waitFor()
    await again.root.getByRole('button', { name: 'Remove Server 1' }).click()
    expect(await again.field('Host', again.group('Server 1')).inputValue()).toBe('beta.test')
    await again.fill('Location', 'redis://queue@cache.test:6379/1')
    await again.saveAndWaitClosed()

    expect(await check()).toMatchObject({
      credentials: `access key AKIAE2E, secret key ${seen(SECRET_KEY)}`,
      'server 1': `beta.test:7002 password ${seen(PASSWORD_2)}`,
      'private key': seen(PRIVATE_KEY),
      location: `redis://queue@cache.test:6379/1 password ${seen(LOCATION_PASSWORD)}`,
    })
    expect((await relay())?.options.servers).toEqual([{ host: 'beta.test', port: 7002, password: { $stored: 'servers/0/password' } }])
    expectNoSecretIn(readFileSync(join(ctx.server.home, 'settings.json'), 'utf8'))

    // Another host would receive every secret the relay sends there: none follows it, the form asks for
    // each on its own field, and nothing is saved until they are typed again.
    const moved = await settings.edit('mail', 'relay')
    await moved.fill('Location', 'redis://queue@cache2.test:6380/0')
    await moved.save()
    await expect.poll(() => moved.errorOf('Location')).toMatch(/Type it again/)
    expect(await moved.errorOf(moved.field('Secret key', moved.group('Credentials')))).toMatch(/Type it again/)
    expect(await moved.errorOf(moved.field('Password', moved.group('Server 1')))).toMatch(/Type it again/)
    expect((await relay())?.options.location).toEqual({ $stored: 'location', $url: 'redis://queue@cache.test:6379/1' })
    await moved.fill('Location', `redis://queue:${LOCATION_PASSWORD}@cache2.test:6380/0`)
    await moved.field('Secret key', moved.group('Credentials')).fill(SECRET_KEY)
    await moved.field('Password', moved.group('Server 1')).fill(PASSWORD_2)
    await moved.loadSecretFile('Private key', { name: 'relay.pem', text: PRIVATE_KEY })
    await moved.saveAndWaitClosed()
    expect(await check()).toMatchObject({
      'server 1': `beta.test:7002 password ${seen(PASSWORD_2)}`,
      location: `redis://queue@cache2.test:6380/0 password ${seen(LOCATION_PASSWORD)}`,
    })

    // 1.5 in a whole-number field is refused, not rounded, and nothing is saved.
    const third = await settings.edit('mail', 'relay')
    await third.fill('Retries', '1.5')
    expect(await third.errorOf('Retries')).toBe('Enter a whole number.')
    await third.save()
    expect(await third.errorOf('Retries')).toBe('Enter a whole number.')
    expect(await third.root.isVisible()).toBe(true)
    expect(await third.field('Retries').inputValue()).toBe('1.5')
    expect((await relay())?.options.retries).toBeUndefined()
    // "Forget password" sends the URL without it: the stored password goes, the URL stays.
    await third.fill('Retries', '2')
    await third.root.getByRole('button', { name: 'Forget password of Location' }).click()
    await third.root.getByText('password will be forgotten', { exact: true }).waitFor()
    await third.saveAndWaitClosed()
    expect(await check()).toMatchObject({ location: 'redis://queue@cache2.test:6380/0 password none', retries: '2', 'server 1': `beta.test:7002 password ${seen(PASSWORD_2)}` })
    expect((await relay())?.options).toMatchObject({ location: 'redis://queue@cache2.test:6380/0', retries: 2 })

    // After a reload, nothing the page holds or received carries a secret.
    await page.reload()
    await new BackplaneApp(page, ctx.server).sidebar.waitFor()
    const reopened = await new SettingsPage(new BackplaneApp(page, ctx.server)).edit('mail', 'relay')
    expect(await reopened.field('Password', reopened.group('Server 1')).inputValue()).toBe('')
    expect(await reopened.field('Private key').inputValue()).toBe('')
    expectNoSecretIn(await page.content())
    await reopened.cancel()
    expect(received.length).toBeGreaterThan(0)
    expect(received.filter((frame) => SECRETS.some((secret) => frame.includes(secret)))).toEqual([])
  })

  it('refuses a module nobody trusted, with the command that trusts it, and lists the trusted ones', async () => {
    installRelayPoolEngine(ctx.server.home)
    const spec = writeUntrustedEngine(ctx.server.home)
    const page = await ctx.open({ permissions: ['clipboard-read', 'clipboard-write'] })
    const settings = await SettingsPage.open(await BackplaneApp.open(page, ctx.server))

    const trustedList = settings.trustedModules
    await trustedList.getByRole('row').filter({ hasText: './relay-pool.mjs' }).getByText('trusted', { exact: true }).waitFor()
    expect(await trustedList.textContent()).not.toContain(spec)

    const editor = await settings.add('mail')
    await editor.fill('Name', 'stranger')
    await editor.typeCustomModule(spec)
    await editor.save()

    const alert = editor.trustAlert
    await alert.waitFor()
    const text = (await alert.textContent()) ?? ''
    expect(text).toContain('has not been trusted')
    const command = `npx backplane engines trust ${spec} --home ${ctx.server.home}`
    expect(text).toContain(command)
    // Serve mode cannot show the desktop app's dialog: only the command is offered.
    expect(await alert.getByRole('button', { name: 'Trust this module…' }).count()).toBe(0)
    await alert.getByRole('button', { name: 'Copy the trust command' }).click()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(command)

    await editor.cancel()
    expect((await ctx.server.rpc<{ aliases: AliasView[] }>('settings.get')).aliases.some((a) => a.name === 'stranger')).toBe(false)

    // An alias written into settings.json by hand with that module: its Test says the same, with the same command.
    const file = join(ctx.server.home, 'settings.json')
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { mail: Record<string, unknown> }
    doc.mail.handmade = { engine: spec, options: {} }
    writeFileSync(file, JSON.stringify(doc, null, 2))
    await ctx.server.rpc('settings.reload')
    const handmade = await settings.edit('mail', 'handmade')
    await handmade.test()
    await handmade.trustAlert.waitFor()
    expect(await handmade.trustAlert.textContent()).toContain(command)
    await handmade.cancel()
  })
})
