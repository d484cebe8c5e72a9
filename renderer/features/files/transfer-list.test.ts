import { describe, expect, it } from 'vitest'
import { mergeTransfers, summarizeActive, upsertTransfer } from './transfer-list'
import type { Transfer } from './types'

const transfer = (id: string, state: Transfer['state'], startedAt: string, bytesDone = 0, bytesTotal: number | null = 100): Transfer => ({
  id,
  kind: 'upload',
  state,
  from: null,
  to: { alias: 'default', name: id },
  label: id,
  bytesDone,
  bytesTotal,
  filesDone: 0,
  filesTotal: 1,
  bytesPerSecond: 0,
  secondsLeft: null,
  current: null,
  startedAt,
  finishedAt: null,
  resultName: null,
  error: null,
})

describe('the transfers list', () => {
  it('replaces a transfer by id and keeps the newest first', () => {
    const list = [transfer('a', 'running', '2026-01-01T00:00:01Z'), transfer('b', 'running', '2026-01-01T00:00:02Z')]
    const next = upsertTransfer(list, transfer('a', 'done', '2026-01-01T00:00:01Z', 100))
    expect(next.map((t) => [t.id, t.state])).toEqual([
      ['b', 'running'],
      ['a', 'done'],
    ])
    expect(upsertTransfer(undefined, transfer('c', 'queued', '2026-01-01T00:00:00Z'))).toHaveLength(1)
  })

  it("shows the server's view of an upload while both run, and the page's once its request finished", () => {
    const server = [transfer('up', 'running', '2026-01-01T00:00:00Z', 60)]
    expect(mergeTransfers(server, [transfer('up', 'running', '2026-01-01T00:00:00Z', 80)])[0]?.bytesDone).toBe(60)
    expect(mergeTransfers(server, [transfer('up', 'done', '2026-01-01T00:00:00Z', 100)])[0]?.state).toBe('done')
    // The server finished first (its event came before the response): its view stays.
    const serverDone = [transfer('up', 'failed', '2026-01-01T00:00:00Z', 60)]
    expect(mergeTransfers(serverDone, [transfer('up', 'running', '2026-01-01T00:00:00Z', 80)])[0]?.state).toBe('failed')
  })

  it('lists uploads the server has not heard of yet beside its own transfers', () => {
    const merged = mergeTransfers([transfer('copy', 'running', '2026-01-01T00:00:00Z')], [transfer('up', 'queued', '2026-01-01T00:00:05Z')])
    expect(merged.map((t) => t.id)).toEqual(['up', 'copy'])
  })

  it('sums only what is still running, counting an unknown total as what is done so far', () => {
    const list = [transfer('a', 'running', 'x', 10, 100), transfer('b', 'running', 'y', 5, null), transfer('c', 'done', 'z', 100, 100)]
    expect(summarizeActive(list)).toEqual({ active: 2, bytesDone: 15, bytesTotal: 105 })
  })
})
