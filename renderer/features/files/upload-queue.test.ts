import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { UploadQueue } from './upload-queue'

/** XMLHttpRequest as far as the queue uses it; each test answers the requests by hand. */
class FakeRequest {
  static sent: FakeRequest[] = []
  method = ''
  url = ''
  headers: Record<string, string> = {}
  status = 0
  responseText = ''
  body: unknown
  upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null }
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  onabort: (() => void) | null = null
  open(method: string, url: string) {
    this.method = method
    this.url = url
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value
  }
  send(body: unknown) {
    this.body = body
    FakeRequest.sent.push(this)
  }
  abort() {
    this.onabort?.()
  }
  answer(status: number, body: unknown) {
    this.status = status
    this.responseText = JSON.stringify(body)
    this.onload?.()
  }
}

const file = (name: string, size = 10) => new File([new Uint8Array(size)], name, { type: 'text/plain' })

describe('the upload queue', () => {
  beforeEach(() => {
    FakeRequest.sent = []
    vi.stubGlobal('XMLHttpRequest', FakeRequest)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('sends three at a time, each a PUT with its transfer id and conflict rule, and the next when one ends', () => {
    const queue = new UploadQueue()
    const ids = queue.enqueue('media', ['a', 'b', 'c', 'd'].map((n) => ({ file: file(`${n}.txt`), name: `in/${n}.txt` })), 'overwrite')
    expect(FakeRequest.sent.map((r) => r.url)).toEqual(['a', 'b', 'c'].map((n, i) => `/api/v1/storage/media/in/${n}.txt?conflict=overwrite&transfer=${ids[i]}`))
    expect(FakeRequest.sent[0]?.method).toBe('PUT')
    expect(FakeRequest.sent[0]?.headers['content-type']).toBe('text/plain')
    expect(queue.getSnapshot().map((t) => t.state)).toEqual(['running', 'running', 'running', 'queued'])
    FakeRequest.sent[0]?.answer(201, { name: 'in/a_Xy12345.txt', size: 10 })
    expect(FakeRequest.sent).toHaveLength(4)
    const done = queue.getSnapshot()[0]
    expect(done).toMatchObject({ state: 'done', bytesDone: 10, filesDone: 1, resultName: 'in/a_Xy12345.txt' })
  })

  it("keeps the API's error with its hint, and names a lost connection", () => {
    const queue = new UploadQueue()
    queue.enqueue('media', [{ file: file('a.txt'), name: 'a.txt' }, { file: file('b.txt'), name: 'b.txt' }], 'fail')
    FakeRequest.sent[0]?.answer(409, { error: { code: 'E_EXISTS', message: '"a.txt" exists.', hint: 'Choose rename.' } })
    FakeRequest.sent[1]?.onerror?.()
    const [a, b] = queue.getSnapshot()
    expect(a?.error).toEqual({ code: 'E_EXISTS', message: '"a.txt" exists.', hint: 'Choose rename.', details: undefined })
    expect(b?.error?.code).toBe('E_DISCONNECTED')
    expect(a?.state).toBe('failed')
  })

  it('cancels a running upload by aborting it, and a queued one before it is sent', () => {
    const queue = new UploadQueue()
    const finished = vi.fn()
    queue.onFinished(finished)
    const ids = queue.enqueue('m', ['a', 'b', 'c', 'd'].map((n) => ({ file: file(n), name: n })), 'rename')
    expect(queue.cancel(ids[3]!)).toBe(true)
    expect(queue.cancel(ids[0]!)).toBe(true)
    expect(queue.cancel('not-mine')).toBe(false)
    const states = Object.fromEntries(queue.getSnapshot().map((t) => [t.to?.name, t.state]))
    expect(states).toEqual({ a: 'cancelled', b: 'running', c: 'running', d: 'cancelled' })
    // The cancelled queued one was never sent: only a, b and c went out.
    expect(FakeRequest.sent.map((r) => r.url.split('?')[0])).toEqual(['/api/v1/storage/m/a', '/api/v1/storage/m/b', '/api/v1/storage/m/c'])
    expect(finished).toHaveBeenCalledTimes(2)
    queue.clearFinished()
    expect(queue.getSnapshot().map((t) => t.to?.name)).toEqual(['b', 'c'])
  })

  it('reports progress as bytes sent, at most a few times a second', () => {
    vi.useFakeTimers()
    try {
      const queue = new UploadQueue()
      const listener = vi.fn()
      queue.subscribe(listener)
      queue.enqueue('m', [{ file: file('big', 1000), name: 'big' }], 'rename')
      listener.mockClear()
      for (let loaded = 100; loaded <= 500; loaded += 100) FakeRequest.sent[0]?.upload.onprogress?.({ loaded })
      expect(listener).not.toHaveBeenCalled()
      vi.advanceTimersByTime(250)
      expect(listener).toHaveBeenCalledTimes(1)
      expect(queue.getSnapshot()[0]?.bytesDone).toBe(500)
    } finally {
      vi.useRealTimers()
    }
  })
})
