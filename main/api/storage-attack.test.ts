import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleLoopLag } from '../../test/support/loop-lag'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import { startHttpServer, type RunningServer } from '../hosts/http/server'

/**
 * Hostile tests of the storage routes, handlers and transfer queue over a real server: each case here
 * failed when it was written, for a reason the report names (docs/storage.md's promises, a 5xx for
 * client input, data lost, a stall).
 */
const TOKEN = 'storage-attack-token'
const AUTH = { authorization: `Bearer ${TOKEN}` }
let test: TestApp
let http: RunningServer
/** A folder outside the data directory that two aliases ("ext" and "twin") both point at. */
let shared: string

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  /** The response ended before its Content-Length (or the connection broke). */
  broken: boolean
}

function send(method: string, path: string, { headers = AUTH, body }: { headers?: Record<string, string>; body?: Buffer } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(new URL(path, http.url), { method, headers }, (res) => {
      const chunks: Buffer[] = []
      let broken = false
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('aborted', () => (broken = true))
      res.on('error', () => (broken = true))
      res.on('close', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), broken: broken || !res.complete }))
    })
    // A connection dropped before any answer is a broken download too.
    req.on('error', () => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), broken: true }))
    req.end(body)
  })
}
const json = (a: Answer) => JSON.parse(a.body.toString('utf8')) as { error?: { code: string }; name?: string }

async function transferEnd(id: string) {
  await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === id)?.state, { timeout: 20_000 }).not.toMatch(/queued|running/)
  return test.app.storageTransfers.list().find((t) => t.id === id)!
}

beforeAll(async () => {
  // Uploads that stop sending are cut off after 1 s here (30 s by default), so the 408 case runs quickly.
  test = await openTestApp({ host: 'serve', uploadIdleMs: 1000 })
  shared = mkdtempSync(join(tmpdir(), 'bp-attack-shared-'))
  await test.app.call('settings.saveAlias', { kind: 'storage', name: 'mem', engine: 'memory', options: {} })
  await test.app.call('settings.saveAlias', { kind: 'storage', name: 'ext', engine: 'filesystem', options: { location: shared } })
  await test.app.call('settings.saveAlias', { kind: 'storage', name: 'twin', engine: 'filesystem', options: { location: shared } })
  http = await startHttpServer(test.app, { host: '127.0.0.1', port: 0, token: TOKEN })
})
afterAll(async () => {
  await http?.close()
  await test?.close()
  rmSync(shared, { recursive: true, force: true })
})

describe('two aliases on one folder', () => {
  it('a move between them with conflict=overwrite does not delete the file it "moved"', async () => {
    writeFileSync(join(shared, 'precious.txt'), 'the only copy')
    mkdirSync(join(shared, 'album'), { recursive: true })
    writeFileSync(join(shared, 'album', 'photo.jpg'), 'jpeg bytes')
    const { id } = await test.app.call('storage.startTransfer', { kind: 'move', from: { alias: 'ext', names: ['precious.txt', 'album'] }, to: { alias: 'twin', folder: '' }, conflict: 'overwrite' })
    await transferEnd(id)
    // Moved onto itself: whatever the transfer says, the bytes must still be there.
    expect(existsSync(join(shared, 'precious.txt'))).toBe(true)
    expect(existsSync(join(shared, 'album', 'photo.jpg'))).toBe(true)
  })

  it('a copy of a folder into its own child through the other alias is refused, not nested without end', async () => {
    mkdirSync(join(shared, 'loop'), { recursive: true })
    writeFileSync(join(shared, 'loop', 'a.txt'), 'a')
    let refused: unknown
    let id: string | undefined
    try {
      ;({ id } = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'ext', names: ['loop'] }, to: { alias: 'twin', folder: 'loop/inner' }, conflict: 'rename' }))
    } catch (err) {
      refused = err
    }
    if (id) {
      // Let it run a while, then stop it: left alone it nests until names get too long.
      await new Promise((r) => setTimeout(r, 3000))
      const running = test.app.storageTransfers.list().find((t) => t.id === id)!
      expect(running.state).toBe('running')
      await test.app.call('storage.cancelTransfer', { id })
    }
    // Depth of loop/inner/loop/inner/…: 2 is the copy made once; more is the copy copying itself.
    let depth = 0
    for (let dir = join(shared, 'loop'); existsSync(join(dir, 'inner', 'loop')); dir = join(dir, 'inner', 'loop')) depth++
    expect({ refused: (refused as { code?: string } | undefined)?.code, depth }).toEqual({ refused: 'E_INVALID_INPUT', depth: 0 })
  }, 30_000)
})

describe('a copy never copies its own output', () => {
  it('copying a 600-file folder into its own parent (conflict=rename) makes 600 copies, not copies of copies', async () => {
    // The copy is a sibling under Django's next free name (dup_XXXXXXX), as Finder's Duplicate makes one.
    const dir = join(test.home, 'files', 'dup')
    mkdirSync(dir, { recursive: true })
    for (let i = 0; i < 600; i++) writeFileSync(join(dir, `f${String(i).padStart(3, '0')}.txt`), String(i))
    const { id } = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'default', names: ['dup'] }, to: { alias: 'default', folder: '' }, conflict: 'rename' })
    const end = await transferEnd(id)
    expect(end.state).toBe('done')
    // Each f123.txt once more; a name with a suffix is a copy of a copy (or a copy written into the original).
    const names = readdirSync(dir)
    const copies = readdirSync(join(test.home, 'files')).filter((n) => /^dup_[A-Za-z0-9]{7}$/.test(n))
    expect(copies.length).toBe(1)
    const copied = readdirSync(join(test.home, 'files', copies[0]!))
    expect([...names, ...copied].filter((n) => /_[A-Za-z0-9]{7}/.test(n))).toEqual([])
    expect([names.length, copied.length]).toEqual([600, 600])
  }, 60_000)
})

describe('a move across aliases', () => {
  it('does not delete a file written into the source folder while the move ran', async () => {
    const dir = join(test.home, 'files', 'inbox')
    mkdirSync(dir, { recursive: true })
    for (let i = 0; i < 1500; i++) writeFileSync(join(dir, `m${String(i).padStart(4, '0')}.txt`), String(i))
    const { id } = await test.app.call('storage.startTransfer', { kind: 'move', from: { alias: 'default', names: ['inbox'] }, to: { alias: 'mem', folder: 'moved' }, conflict: 'rename' })
    // The app keeps saving uploads into the folder while it is moved (Django's MEDIA_ROOT in use).
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === id)?.filesDone ?? 0, { timeout: 20_000, interval: 5 }).toBeGreaterThan(200)
    const late = await send('PUT', '/api/v1/storage/default/inbox/a-late-upload.txt', { body: Buffer.from('saved while the move ran') })
    expect(late.status).toBe(201)
    const end = await transferEnd(id)
    const atSource = existsSync(join(dir, 'a-late-upload.txt'))
    const atTarget = (await send('GET', '/api/v1/storage/mem/moved/inbox/a-late-upload.txt')).status === 200
    // Moved or left behind are both fine; deleted without a copy is not.
    expect({ state: end.state, kept: atSource || atTarget }).toEqual({ state: end.state, kept: true })
  }, 60_000)
})

describe('a move of two names that land on one target', () => {
  it('moving a/x.txt and b/x.txt into one folder with overwrite keeps both files\' bytes somewhere', async () => {
    for (const alias of ['mem', 'default']) {
      for (const [name, body] of [['pick/a/x.txt', 'bytes of a'], ['pick/b/x.txt', 'bytes of b']]) await send('PUT', `/api/v1/storage/mem/${name}?conflict=overwrite`, { body: Buffer.from(body!) })
      const started = await test.app.call('storage.startTransfer', { kind: 'move', from: { alias: 'mem', names: ['pick/a/x.txt', 'pick/b/x.txt'] }, to: { alias, folder: `together-${alias}` }, conflict: 'overwrite' }).catch((err: { code: string }) => err)
      if ('id' in started) await transferEnd(started.id)
      else expect([alias, started.code]).toEqual([alias, 'E_INVALID_INPUT'])
      // Refused up front, or one of them kept at its source: never "moved" onto each other with a's bytes gone.
      const everywhere = await Promise.all(['pick/a/x.txt', 'pick/b/x.txt'].map(async (n) => (await send('GET', `/api/v1/storage/mem/${n}`)).body.toString()))
      everywhere.push((await send('GET', `/api/v1/storage/${alias}/together-${alias}/x.txt`)).body.toString())
      expect([alias, everywhere.some((b) => b === 'bytes of a')]).toEqual([alias, true])
    }
  })
})

describe('GET with If-Range', () => {
  it('serves the whole new file, not a part of it, when If-Range names an older version', async () => {
    await send('PUT', '/api/v1/storage/mem/resume.bin?conflict=overwrite', { body: Buffer.from('old-old-old-old-') })
    const first = await send('GET', '/api/v1/storage/mem/resume.bin', { headers: { ...AUTH, range: 'bytes=0-7' } })
    const staleTag = first.headers.etag!
    const staleDate = first.headers['last-modified']!
    await new Promise((r) => setTimeout(r, 1100))
    await send('PUT', '/api/v1/storage/mem/resume.bin?conflict=overwrite', { body: Buffer.from('NEW-NEW-NEW-NEW-NEW-') })
    // A browser resuming a download sends If-Range (RFC 9110 §13.1.5): a changed file is sent whole, with 200.
    for (const ifRange of [staleTag, staleDate]) {
      const resumed = await send('GET', '/api/v1/storage/mem/resume.bin', { headers: { ...AUTH, range: 'bytes=8-', 'if-range': ifRange } })
      expect([ifRange, resumed.status, resumed.body.toString()]).toEqual([ifRange, 200, 'NEW-NEW-NEW-NEW-NEW-'])
    }
  })
})

describe('names other programs wrote', () => {
  it('a folder holding a file whose name has a backslash or a line break still zips, counts and copies', async () => {
    const dir = join(test.home, 'files', 'from-windows')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'ok.txt'), 'fine')
    writeFileSync(join(dir, 'C:\\Users\\me\\notes.txt'), 'a name Windows tools leave behind')
    writeFileSync(join(dir, 'two\nlines.txt'), 'a name with a line break')
    // The file browser's delete dialog counts first; a copy and a zip walk the folder.
    const counted = await test.app.call('storage.summarize', { alias: 'default', names: ['from-windows'] }).catch((err: { code: string }) => err.code)
    const zip = await send('GET', '/api/v1/storage-zip/default?name=from-windows')
    const { id } = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'default', names: ['from-windows'] }, to: { alias: 'mem', folder: '' }, conflict: 'rename' })
    const copy = await transferEnd(id)
    // Unaddressable names may be skipped (as S3's "a//b" keys are), but one of them must not break the whole folder.
    expect({ counted: typeof counted === 'string' ? counted : 'ok', zip: zip.status === 200 && !zip.broken, copy: copy.state, copyError: copy.error?.code }).toEqual({ counted: 'ok', zip: true, copy: 'done', copyError: undefined })
  })

  it('a zip of a file whose name starts like a drive ("Q:notes.txt") is a whole zip, not a cut-off download', async () => {
    await send('PUT', '/api/v1/storage/mem/Q%3Anotes.txt', { body: Buffer.from('questions') })
    const zip = await send('GET', '/api/v1/storage-zip/mem?name=Q%3Anotes.txt')
    expect({ status: zip.status, broken: zip.broken }).toEqual({ status: 200, broken: false })
  })
})

describe('a link inside the root that leads back up', () => {
  it('a folder with links to itself ("current -> .") is walked once: counted and copied without end or garbage', async () => {
    const dir = join(test.home, 'files', 'release')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'app.js'), 'js')
    // Deploy folders hold such links; both stay inside the root, so the engine follows them.
    symlinkSync('.', join(dir, 'current'))
    symlinkSync('.', join(dir, 'previous'))
    const counted = await test.app.call('storage.summarize', { alias: 'default', names: ['release'], limit: 1000 })
    const { id } = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'default', names: ['release'] }, to: { alias: 'mem', folder: 'deployed' }, conflict: 'rename' })
    await new Promise((r) => setTimeout(r, 3000))
    const copy = test.app.storageTransfers.list().find((t) => t.id === id)!
    await test.app.call('storage.cancelTransfer', { id })
    // app.js once (or three times, through each link once); not release/current/previous/current/… to the OS's limit.
    expect({ files: counted.files <= 3, truncated: counted.truncated, copying: copy.state, copied: copy.filesDone <= 3 }).toEqual({ files: true, truncated: false, copying: 'done', copied: true })
  }, 30_000)
})

describe('the event loop stays free', () => {
  it('a delete of 10,000 names does not hold the loop for seconds while it sorts out nested names', async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `bulk/some-long-folder-name-${i}/and-a-file-name-${i}.txt`)
    const { worstLagMs } = await sampleLoopLag(() => test.app.call('storage.delete', { alias: 'mem', names }))
    expect(worstLagMs).toBeLessThan(500)
  }, 60_000)
})

describe('the route prefixes', () => {
  it('GET /api/v1/storage-zip (no slash) is the zip route, not a download from an alias called "zip"', async () => {
    const got = await send('GET', '/api/v1/storage-zip?name=x')
    expect(JSON.stringify(json(got))).not.toMatch(/"zip"/)
    expect(got.status).toBe(400)
  })
})

describe('an upload that stops sending', () => {
  it('is cut off with 408 E_REQUEST_TIMEOUT after the idle time, and its transfer failed, not "cancelled"', async () => {
    // Headers and 10 of the 100 bytes promised, then silence with the connection held open.
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(http.port, '127.0.0.1', () =>
        socket.write(`PUT /api/v1/storage/mem/stalled.bin?transfer=stalled HTTP/1.1\r\nHost: 127.0.0.1:${http.port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 100\r\n\r\n0123456789`),
      )
      const chunks: Buffer[] = []
      socket.on('data', (c: Buffer) => chunks.push(c))
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
      socket.on('error', () => undefined)
    })
    const transfer = test.app.storageTransfers.list().find((t) => t.id === 'stalled')
    expect({ status: answer.split('\r\n')[0], code: /"code":"(\w+)"/.exec(answer)?.[1], state: transfer?.state, error: transfer?.error?.code }).toEqual({
      status: 'HTTP/1.1 408 Request Timeout',
      code: 'E_REQUEST_TIMEOUT',
      state: 'failed',
      error: 'E_REQUEST_TIMEOUT',
    })
    expect((await test.app.call('storage.list', { alias: 'mem', path: '' })).entries.map((e) => e.name)).not.toContain('stalled.bin')
  }, 15_000)
})

describe('storage.startTransfer', () => {
  it('answers a name that does not exist at once (E_NOT_FOUND), as its handler says, not with a transfer that fails later', async () => {
    const answer = await test.app.call('storage.startTransfer', { kind: 'copy', from: { alias: 'mem', names: ['no/such/file.txt'] }, to: { alias: 'default', folder: '' } }).then(
      () => 'queued',
      (err: { code: string }) => err.code,
    )
    expect(answer).toBe('E_NOT_FOUND')
  })

  it('a cancelled move stops deleting: a source not yet deleted when the cancel came stays', async () => {
    const dir = join(test.home, 'files', 'cancel-move')
    mkdirSync(join(dir, 'many'), { recursive: true })
    for (let i = 0; i < 4000; i++) writeFileSync(join(dir, 'many', `n${i}.txt`), 'n')
    writeFileSync(join(dir, 'last.txt'), 'last')
    const { id } = await test.app.call('storage.startTransfer', { kind: 'move', from: { alias: 'default', names: ['cancel-move/many', 'cancel-move/last.txt'] }, to: { alias: 'mem', folder: 'cm' }, conflict: 'rename' })
    // A move deletes each file once its copy is whole (4,000 files first, then last.txt): cancel midway.
    await expect.poll(() => test.app.storageTransfers.list().find((t) => t.id === id)?.filesDone, { timeout: 30_000, interval: 1 }).toBeGreaterThan(1000)
    expect(await test.app.call('storage.cancelTransfer', { id })).toEqual({ cancelled: true })
    const leftAtCancel = readdirSync(join(dir, 'many')).length
    await new Promise((r) => setTimeout(r, 2000))
    // At most the one delete under way when the cancel came; none after it.
    expect(leftAtCancel - readdirSync(join(dir, 'many')).length).toBeLessThanOrEqual(1)
    expect(existsSync(join(dir, 'last.txt'))).toBe(true)
    // Nothing lost: each file is still at its source, or already at the target.
    const atTarget = await test.app.call('storage.summarize', { alias: 'mem', names: ['cm'] })
    expect(readdirSync(join(dir, 'many')).length + atTarget.files).toBeGreaterThanOrEqual(4000)
  }, 60_000)
})

describe('Content-Disposition', () => {
  it("filename* holds only RFC 8187 attr-chars (no ' ( ) *), so strict parsers read the exact name", async () => {
    await send('PUT', `/api/v1/storage/mem/${encodeURIComponent("it's (final)*.txt")}?conflict=overwrite`, { body: Buffer.from('x') })
    const got = await send('GET', `/api/v1/storage/mem/${encodeURIComponent("it's (final)*.txt")}`)
    const ext = /filename\*=UTF-8''(.*)$/.exec(got.headers['content-disposition'] ?? '')?.[1] ?? ''
    expect(ext).toMatch(/^(%[0-9A-F]{2}|[A-Za-z0-9!#$&+\-.^_`|~])+$/)
    expect(decodeURIComponent(ext)).toBe("it's (final)*.txt")
  })
})
