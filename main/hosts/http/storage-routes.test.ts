import { createHash, randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../../test/support/test-app'
import { ServeSessions } from './serve-session'
import { startHttpServer, type RunningServer } from './server'

const TOKEN = 'storage-route-token'
const AUTH = { authorization: `Bearer ${TOKEN}` }
let test: TestApp
let http: RunningServer
let files: string

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** node:http, as curl would: the body streamed in, the answer read whole (tests only ask for small ones, or hash). */
function send(method: string, path: string, { headers = AUTH, body }: { headers?: Record<string, string>; body?: Readable | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, http.url), { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    if (body instanceof Readable) body.pipe(req)
    else req.end(body)
  })
}

const json = (a: Answer) => JSON.parse(a.body.toString('utf8')) as Record<string, unknown> & { error?: { code: string; hint?: string } }
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex')

/** `count` MiB of pseudo-random bytes, made as they are read, with their hash once read. */
function generated(count: number): { stream: Readable; hash: () => string } {
  const block = randomBytes(1024 * 1024)
  const hash = createHash('sha256')
  let i = 0
  const stream = new Readable({
    read() {
      if (i === count) return void this.push(null)
      const chunk = Buffer.from(block)
      chunk.writeUInt32BE(i++, 0)
      hash.update(chunk)
      this.push(chunk)
    },
  })
  return { stream, hash: () => hash.digest('hex') }
}

beforeAll(async () => {
  test = await openTestApp({ host: 'serve' })
  files = join(test.home, 'files')
  await test.app.call('settings.saveAlias', { kind: 'storage', name: 'mem', engine: 'memory', options: {} })
  http = await startHttpServer(test.app, { host: '127.0.0.1', port: 0, token: TOKEN, sessions: new ServeSessions(TOKEN) })
})
afterAll(async () => {
  await http?.close()
  await test?.close()
})

describe('PUT and GET /api/v1/storage/<alias>/<path>', () => {
  it('streams a 50 MiB upload in and back out, byte for byte', async () => {
    for (const alias of ['default', 'mem']) {
      const data = generated(50)
      const put = await send('PUT', `/api/v1/storage/${alias}/big/data.bin`, { headers: { ...AUTH, 'content-length': String(50 * 1024 * 1024) }, body: data.stream })
      expect(put.status, put.body.toString()).toBe(201)
      expect(json(put)).toEqual({ name: 'big/data.bin', size: 50 * 1024 * 1024 })
      const got = await send('GET', `/api/v1/storage/${alias}/big/data.bin`)
      expect(got.status).toBe(200)
      expect(got.headers['content-length']).toBe(String(50 * 1024 * 1024))
      expect(sha(got.body)).toBe(data.hash())
    }
  }, 60_000)

  it('serves ranges, HEAD, ETag and 304, and 416 for a range outside the file', async () => {
    await send('PUT', '/api/v1/storage/default/digits.txt?conflict=overwrite', { body: Buffer.from('0123456789') })
    const cases: [string, number, string, string | undefined][] = [
      ['bytes=2-4', 206, '234', 'bytes 2-4/10'],
      ['bytes=7-', 206, '789', 'bytes 7-9/10'],
      ['bytes=-3', 206, '789', 'bytes 7-9/10'],
      ['bytes=8-100', 206, '89', 'bytes 8-9/10'],
      ['bytes=0-1,4-5', 200, '0123456789', undefined],
      ['bytes=5-1', 200, '0123456789', undefined],
      ['pages=1', 200, '0123456789', undefined],
    ]
    for (const [range, status, body, contentRange] of cases) {
      const got = await send('GET', '/api/v1/storage/default/digits.txt', { headers: { ...AUTH, range } })
      expect([range, got.status, got.body.toString(), got.headers['content-range']]).toEqual([range, status, body, contentRange])
      expect(got.headers['accept-ranges']).toBe('bytes')
    }
    expect((await send('GET', '/api/v1/storage/default/digits.txt', { headers: { ...AUTH, range: 'bytes=0-1,4-5' } })).headers['x-range-ignored']).toMatch(/several ranges/)
    for (const range of ['bytes=10-', 'bytes=99999999999999999999-', 'bytes=-0']) {
      const refused = await send('GET', '/api/v1/storage/default/digits.txt', { headers: { ...AUTH, range } })
      expect([range, refused.status, refused.headers['content-range']]).toEqual([range, 416, 'bytes */10'])
    }
    const head = await send('HEAD', '/api/v1/storage/default/digits.txt')
    expect(head).toMatchObject({ status: 200, body: Buffer.alloc(0) })
    expect(head.headers).toMatchObject({ 'content-length': '10', 'content-type': 'text/plain', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' })
    expect(head.headers['last-modified']).toMatch(/GMT$/)
    const etag = head.headers.etag!
    expect(etag).toMatch(/^"/)
    expect((await send('GET', '/api/v1/storage/default/digits.txt', { headers: { ...AUTH, 'if-none-match': etag } })).status).toBe(304)
    expect((await send('GET', '/api/v1/storage/default/digits.txt', { headers: { ...AUTH, 'if-none-match': '"other"' } })).status).toBe(200)
  })

  it("keeps both files on a clash by default (Django's save), replaces with overwrite, refuses with fail", async () => {
    await send('PUT', '/api/v1/storage/mem/clash/a b.txt', { body: Buffer.from('one') })
    const renamed = json(await send('PUT', '/api/v1/storage/mem/clash/a%20b.txt', { body: Buffer.from('two') }))
    expect(renamed.name).toMatch(/^clash\/a b_[A-Za-z0-9]{7}\.txt$/)
    const refused = await send('PUT', '/api/v1/storage/mem/clash/a%20b.txt?conflict=fail', { body: Buffer.from('three') })
    expect([refused.status, json(refused).error?.code]).toEqual([409, 'E_EXISTS'])
    expect(json(await send('PUT', '/api/v1/storage/mem/clash/a%20b.txt?conflict=overwrite', { body: Buffer.from('four') }))).toEqual({ name: 'clash/a b.txt', size: 4 })
    expect((await send('GET', '/api/v1/storage/mem/clash/a%20b.txt')).body.toString()).toBe('four')
    expect((await send('GET', `/api/v1/storage/mem/${String(renamed.name).split('/').map(encodeURIComponent).join('/')}`)).body.toString()).toBe('two')
  })

  it('serves only passive types inline, sandboxed, and everything else as an attachment', async () => {
    for (const name of ['p.png', 'x.svg', 'page.html', 'a.bin']) await send('PUT', `/api/v1/storage/mem/inline/${name}?conflict=overwrite`, { body: Buffer.from('<svg onload="alert(1)"/>') })
    const shown = async (name: string) => (await send('GET', `/api/v1/storage/mem/inline/${name}?inline=1`)).headers
    expect(await shown('p.png')).toMatchObject({ 'content-type': 'image/png', 'content-disposition': expect.stringMatching(/^inline;/), 'content-security-policy': "sandbox; default-src 'none'" })
    expect(await shown('x.svg')).toMatchObject({ 'content-type': 'image/svg+xml', 'content-disposition': expect.stringMatching(/^attachment;/) })
    expect(await shown('page.html')).toMatchObject({ 'content-type': 'text/plain; charset=utf-8', 'content-disposition': expect.stringMatching(/^inline;/) })
    expect(await shown('a.bin')).toMatchObject({ 'content-type': 'application/octet-stream', 'content-disposition': expect.stringMatching(/^attachment;/) })
    expect((await send('GET', '/api/v1/storage/mem/inline/p.png')).headers['content-disposition']).toBe(`attachment; filename="p.png"; filename*=UTF-8''p.png`)
  })

  it('answers a folder with E_IS_DIRECTORY pointing at the zip route, and a missing file with 404', async () => {
    const folder = await send('GET', '/api/v1/storage/mem/inline')
    expect([folder.status, json(folder).error?.code]).toEqual([400, 'E_IS_DIRECTORY'])
    expect(json(folder).error?.hint).toContain('/api/v1/storage-zip/mem?name=inline')
    const missing = await send('GET', '/api/v1/storage/mem/nope.txt')
    expect([missing.status, json(missing).error?.code]).toEqual([404, 'E_NOT_FOUND'])
    const noAlias = await send('GET', '/api/v1/storage/nosuch/x')
    expect([noAlias.status, json(noAlias).error?.code]).toEqual([404, 'E_ALIAS_NOT_FOUND'])
  })

  it('leaves nothing behind when the client drops mid-upload, nor when the body is shorter than its Content-Length', async () => {
    await new Promise<void>((resolve) => {
      const req = request(new URL('/api/v1/storage/default/dropped/part.bin', http.url), { method: 'PUT', headers: { ...AUTH, 'content-length': String(20 * 1024 * 1024) } })
      req.on('error', () => resolve())
      req.write(randomBytes(2 * 1024 * 1024), () => setTimeout(() => req.destroy(), 100))
    })
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.to?.name === 'dropped/part.bin')?.state).toBe('cancelled')
    await expect.poll(() => (existsSync(join(files, 'dropped')) ? readdirSync(join(files, 'dropped')) : [])).toEqual([])
    const short = await new Promise<Answer | 'closed'>((resolve) => {
      // More than declared: Node's parser would read the rest as a next request, so say less and close early.
      const req = request(new URL('/api/v1/storage/mem/short.bin', http.url), { method: 'PUT', headers: { ...AUTH, 'content-length': '100' } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      req.on('error', () => resolve('closed'))
      req.write(Buffer.alloc(40), () => setTimeout(() => req.socket?.end(), 50))
    })
    expect(short === 'closed' || short.status >= 400).toBe(true)
    await expect.poll(() => test.app.call('storage.list', { alias: 'mem', path: '' }).then((l) => l.entries.map((e) => e.name))).not.toContain('short.bin')
  })

  it('stops an upload when its transfer is cancelled, showing its progress first, and keeps nothing', async () => {
    const seen: { state: string; bytesDone: number }[] = []
    const off = test.app.events.on('storage.transfer', (t) => {
      const view = t as { id: string; state: string; bytesDone: number }
      if (view.id === 'up-cancel') seen.push(view)
    })
    const answer = new Promise<Answer | 'closed'>((resolve) => {
      const req = request(new URL('/api/v1/storage/default/cancelled/big.bin?transfer=up-cancel', http.url), { method: 'PUT', headers: { ...AUTH, 'content-length': String(64 * 1024 * 1024) } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      req.on('error', () => resolve('closed'))
      req.write(randomBytes(4 * 1024 * 1024))
    })
    await expect.poll(() => seen.some((t) => t.state === 'running' && t.bytesDone > 0)).toBe(true)
    expect(await test.app.call('storage.cancelTransfer', { id: 'up-cancel' })).toEqual({ cancelled: true })
    const result = await answer
    if (result !== 'closed') expect([result.status, json(result).error?.code]).toEqual([409, 'E_CANCELLED'])
    off()
    expect(seen.at(-1)?.state).toBe('cancelled')
    await expect.poll(() => (existsSync(join(files, 'cancelled')) ? readdirSync(join(files, 'cancelled')) : [])).toEqual([])
  })

  it('counts a download with ?transfer= as a transfer, done at its end, cancelled when the client leaves', async () => {
    await send('PUT', '/api/v1/storage/mem/dl/ten.bin?conflict=overwrite', { body: randomBytes(10 * 1024 * 1024) })
    await send('GET', '/api/v1/storage/mem/dl/ten.bin?transfer=dl-1')
    expect(test.app.storageTransfers.list().find((t) => t.id === 'dl-1')).toMatchObject({ kind: 'download', state: 'done', bytesDone: 10 * 1024 * 1024, bytesTotal: 10 * 1024 * 1024, filesDone: 1 })
    await new Promise<void>((resolve) => {
      const req = request(new URL('/api/v1/storage/mem/dl/ten.bin?transfer=dl-2', http.url), { headers: AUTH }, (res) => {
        res.once('data', () => req.destroy())
      })
      req.on('close', () => resolve())
      req.end()
    })
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === 'dl-2')?.state).toBe('cancelled')
  })
})

describe('GET /api/v1/storage-zip/<alias>', () => {
  it('streams files and folders as one zip, named relative to their folder', async () => {
    for (const [name, body] of [['trip/photos/a.png', 'png bytes'], ['trip/photos/deep/b.txt', 'b'.repeat(5000)], ['trip/notes.txt', 'notes'], ['trip/other.txt', 'not asked for']]) {
      await send('PUT', `/api/v1/storage/default/${name}?conflict=overwrite`, { body: Buffer.from(body!) })
    }
    await test.app.call('storage.makeFolder', { alias: 'default', name: 'trip/photos/empty' })
    const got = await send('GET', '/api/v1/storage-zip/default?name=trip/photos&name=trip/notes.txt&transfer=zip-1')
    expect(got.status).toBe(200)
    expect(got.headers).toMatchObject({ 'content-type': 'application/zip', 'content-disposition': `attachment; filename="trip.zip"; filename*=UTF-8''trip.zip` })
    const dir = mkdtempSync(join(tmpdir(), 'backplane-zip-'))
    try {
      writeFileSync(join(dir, 'out.zip'), got.body)
      const listing = execFileSync('/usr/bin/python3', ['-c', 'import sys, zipfile, json; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps(sorted(z.namelist())))', join(dir, 'out.zip')], { encoding: 'utf8' })
      expect(JSON.parse(listing)).toEqual(['notes.txt', 'photos/', 'photos/a.png', 'photos/deep/', 'photos/deep/b.txt', 'photos/empty/'])
      execFileSync('/usr/bin/python3', ['-m', 'zipfile', '-e', join(dir, 'out.zip'), join(dir, 'x')])
      expect(readdirSync(join(dir, 'x', 'photos', 'deep'))).toEqual(['b.txt'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(test.app.storageTransfers.list().find((t) => t.id === 'zip-1')).toMatchObject({ kind: 'zip', state: 'done', filesDone: 3 })
  })

  it('refuses before the first byte a name that is missing or climbs out', async () => {
    const missing = await send('GET', '/api/v1/storage-zip/default?name=trip/nope')
    expect([missing.status, json(missing).error?.code]).toEqual([404, 'E_NOT_FOUND'])
    const climbing = await send('GET', '/api/v1/storage-zip/default?name=../etc')
    expect([climbing.status, json(climbing).error?.code]).toEqual([400, 'E_PATH_OUTSIDE_ROOT'])
    expect((await send('GET', '/api/v1/storage-zip/default')).status).toBe(400)
  })
})

describe('the storage routes ask for the token', () => {
  it('refuse every route without it, take the session cookie, and refuse a foreign Origin', async () => {
    for (const [method, path] of [['GET', '/api/v1/storage/default/digits.txt'], ['HEAD', '/api/v1/storage/default/digits.txt'], ['PUT', '/api/v1/storage/default/sneaky.txt'], ['GET', '/api/v1/storage-zip/default?name=trip']] as const) {
      const refused = await send(method, path, { headers: {}, ...(method === 'PUT' ? { body: Buffer.from('x') } : {}) })
      expect([method, path, refused.status]).toEqual([method, path, 401])
    }
    expect(existsSync(join(files, 'sneaky.txt'))).toBe(false)
    const signIn = await fetch(new URL(`/?token=${TOKEN}`, http.url), { redirect: 'manual' })
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    expect((await send('GET', '/api/v1/storage/default/digits.txt', { headers: { cookie } })).body.toString()).toBe('0123456789')
    expect((await send('GET', '/api/v1/storage/default/digits.txt', { headers: { cookie, origin: 'http://evil.example' } })).status).toBe(403)
  })
})
