import type { Transfer } from './types'

export const isFinished = (transfer: Transfer) => transfer.state === 'done' || transfer.state === 'failed' || transfer.state === 'cancelled'

/** A transfer's new state into the list (the `storage.transfer` event), newest first. */
export function upsertTransfer(list: readonly Transfer[] | undefined, view: Transfer): Transfer[] {
  const rest = (list ?? []).filter((transfer) => transfer.id !== view.id)
  return newestFirst([view, ...rest])
}

function newestFirst(list: Transfer[]): Transfer[] {
  return list.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0))
}

/**
 * The server's transfers and the uploads this page is sending, as one list. An upload is both: the
 * browser knows what it sent (and whether the request finished), the server what it received. The
 * server's view wins while both are running; the page's once it has the answer, because a finished
 * request is final while the server's last event may still be on its way.
 */
export function mergeTransfers(server: readonly Transfer[], local: readonly Transfer[]): Transfer[] {
  const byId = new Map(server.map((transfer) => [transfer.id, transfer]))
  for (const mine of local) {
    const theirs = byId.get(mine.id)
    if (!theirs || (isFinished(mine) && !isFinished(theirs))) byId.set(mine.id, mine)
  }
  return newestFirst([...byId.values()])
}

/** What the panel's header says: how many run, and the bytes of those whose size is known. */
export function summarizeActive(list: readonly Transfer[]): { active: number; bytesDone: number; bytesTotal: number } {
  const active = list.filter((transfer) => !isFinished(transfer))
  return {
    active: active.length,
    bytesDone: active.reduce((sum, t) => sum + t.bytesDone, 0),
    bytesTotal: active.reduce((sum, t) => sum + (t.bytesTotal ?? t.bytesDone), 0),
  }
}
