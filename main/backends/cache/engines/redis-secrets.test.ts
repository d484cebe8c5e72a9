import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeService } from '../../../../test/support/services'
import { openTestApp, type TestApp } from '../../../../test/support/test-app'

// A password typed inside the location URL is a secret like the password option: it never reaches
// settings.json, a log line, an error or a health report, yet the engine connects with it.
describeService('redis', 'redis engine: the password inside the location', (env) => {
  const password = env.BACKPLANE_TEST_PASSWORD!
  const wrong = 'Wr0ng-but-still-secret'
  const location = (pw: string) => {
    const url = new URL(env.BACKPLANE_TEST_REDIS_URL!)
    url.password = pw
    url.pathname = '/3'
    return url.toString()
  }
  let test: TestApp
  beforeAll(async () => {
    test = await openTestApp()
  })
  afterAll(() => test.close())

  const settingsText = () => readFileSync(join(test.home, 'settings.json'), 'utf8')
  const logText = () => JSON.stringify(test.logs)

  it('keeps it in the secret store, connects with it, and never shows it', async () => {
    await test.app.call('settings.saveAlias', { kind: 'cache', name: 'urlpw', engine: 'redis', options: { location: location(password), keyPrefix: 'bp-secrets' } })
    const stored = JSON.parse(settingsText()).caches.urlpw.options.location
    expect(settingsText()).not.toContain(password)
    expect(JSON.stringify(stored)).toContain('$secret')
    const [report] = await test.app.call('health.check', { kind: 'cache', alias: 'urlpw' })
    expect(report).toMatchObject({ state: 'ok', version: expect.stringMatching(/^Redis /) })
    expect(JSON.stringify(report)).not.toContain(password)
    await test.app.call('cache.set', { alias: 'urlpw', key: 'k', value: 'v', timeout: 30 })
    expect(await test.app.call('cache.get', { alias: 'urlpw', key: 'k' })).toEqual({ found: true, value: 'v' })
    const view = (await test.app.call('settings.get', {})).aliases.find((a) => a.name === 'urlpw')!
    expect(JSON.stringify(view)).not.toContain(password)
    expect(logText()).not.toContain(password)
  })

  it('keeps a wrong one out of the failed health report, the error and the log', async () => {
    await test.app.call('settings.saveAlias', { kind: 'cache', name: 'badpw', engine: 'redis', options: { location: location(wrong) } })
    expect(settingsText()).not.toContain(wrong)
    const [report] = await test.app.call('health.check', { kind: 'cache', alias: 'badpw' })
    expect(report).toMatchObject({ state: 'down', error: { code: 'E_AUTH' } })
    const error = await test.app.call('cache.get', { alias: 'badpw', key: 'k' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_AUTH' })
    for (const text of [JSON.stringify(report), JSON.stringify(error), JSON.stringify((error as { toPayload?: () => unknown }).toPayload?.()), logText()]) {
      expect(text).not.toContain(wrong)
    }
  })
})
