import { filesystemEngine } from '../../main/backends/storage/engines/filesystem'
import type { Storage } from '../../main/backends/storage'
import { createBackend, testContext } from '../../test/support/engine-context'
import type { ServeChild } from './storage-serve'

const POLL_MS = 20

export interface Copied {
  ms: number
  /** The copy's name inside the alias. */
  name: string
  via: string
}

/**
 * A copy of one file into `folder` of the same filesystem alias: the transfer queue's copy
 * (storage.startTransfer, waited for by polling storage.transfers every 20 ms), as the GUI runs it.
 * Until the queue is built (E_UNSUPPORTED) it is the engine's own copy() in this process, and `via` says so.
 */
export async function copyThroughBackplane(serve: ServeChild, alias: string, name: string, folder: string, fsRoot: string, timeoutMs: number): Promise<Copied> {
  const t0 = performance.now()
  const started = await serve.rpc('storage.startTransfer', { kind: 'copy', from: { alias, names: [name] }, to: { alias, folder }, conflict: 'fail' })
  if (started.body.error?.code === 'E_UNSUPPORTED') return engineCopy(name, `${folder}/${name}`, fsRoot)
  if (started.status >= 300) throw new Error(`storage.startTransfer: ${started.body.error?.code} ${started.body.error?.message}`)
  const id = started.body.id as string
  for (;;) {
    const transfers = await serve.call<Array<{ id: string; state: string; resultName: string | null; error: { message: string } | null }>>('storage.transfers')
    const transfer = transfers.find((t) => t.id === id)
    if (!transfer) throw new Error(`transfer ${id} is not in storage.transfers`)
    if (transfer.state === 'done') {
      return { ms: performance.now() - t0, name: transfer.resultName ?? `${folder}/${name}`, via: 'storage.startTransfer (copy) through the serve process, polled every 20 ms' }
    }
    if (transfer.state === 'failed' || transfer.state === 'cancelled') throw new Error(`the copy ${transfer.state}: ${transfer.error?.message ?? ''}`)
    if (performance.now() - t0 > timeoutMs) {
      await serve.rpc('storage.cancelTransfer', { id })
      throw new Error(`the copy did not finish within ${timeoutMs / 1000} s (cancelled)`)
    }
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
}

async function engineCopy(from: string, to: string, fsRoot: string): Promise<Copied> {
  const ctx = testContext('storage', { engine: 'filesystem' })
  try {
    const storage = await createBackend<Storage>(filesystemEngine, { location: fsRoot }, ctx)
    const t0 = performance.now()
    await storage.copy(from, to)
    const ms = performance.now() - t0
    await storage.close()
    return { ms, name: to, via: "the filesystem engine's copy() in the bench process (storage.startTransfer answers E_UNSUPPORTED: the transfer queue is not built yet)" }
  } finally {
    ctx.cleanup()
  }
}
