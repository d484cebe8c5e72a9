import { describe, expect, it } from 'vitest'
import type { Storage, StorageEntry } from '../../backends/storage'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { planCopy, type CopyRequest } from './copy-plan'

/** Just what planCopy asks of a storage: where its root is, and whether a name exists. */
function storageAt(root: string, names: string[]): Storage {
  return {
    rootPlace: async () => root,
    stat: async (name: string): Promise<StorageEntry> => {
      if (!names.includes(name)) throw new BackplaneError(ErrorCode.E_NOT_FOUND, `"${name}" does not exist.`)
      return { name, type: 'file', size: 1 } as StorageEntry
    },
  } as unknown as Storage
}

const request = (over: Partial<CopyRequest>): CopyRequest => ({ kind: 'copy', from: { alias: 'a', names: ['x.txt'] }, to: { alias: 'b', folder: '' }, conflict: 'rename', ...over })

describe('a copy plan', () => {
  it('treats two aliases on one folder, however spelled, as one root', async () => {
    const plan = await planCopy(request({}), storageAt('file:///srv/a%20b/', ['x.txt']), storageAt('file:///srv/a b', []))
    expect(plan).toMatchObject({ sameRoot: true, items: [{ name: 'x.txt', to: 'x.txt', ontoItself: true }] })
  })

  it('refuses a folder into itself through an alias whose root lies inside it', async () => {
    const outer = storageAt('file:///srv/media', ['sub', 'sub/x.txt'])
    const inner = storageAt('file:///srv/media/sub', [])
    await expect(planCopy(request({ from: { alias: 'a', names: ['sub'] } }), outer, inner)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    // A file moved onto itself through the inner alias is left where it is: no item, so no delete.
    const moved = await planCopy(request({ kind: 'move', from: { alias: 'a', names: ['sub/x.txt'] } }), outer, inner)
    expect(moved).toMatchObject({ sameRoot: false, items: [] })
    await expect(planCopy(request({ from: { alias: 'a', names: ['sub/x.txt'] }, conflict: 'fail' }), outer, inner)).rejects.toMatchObject({ code: 'E_EXISTS' })
  })

  it('refuses two names onto one target unless a copy renames, and a name that does not exist', async () => {
    const source = storageAt('memory:a', ['p/x.txt', 'q/x.txt'])
    const target = storageAt('memory:b', [])
    const both = { alias: 'a', names: ['p/x.txt', 'q/x.txt'] }
    await expect(planCopy(request({ kind: 'move', from: both }), source, target)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    await expect(planCopy(request({ from: both, conflict: 'overwrite' }), source, target)).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    expect((await planCopy(request({ from: both }), source, target)).items.map((i) => i.to)).toEqual(['x.txt', 'x.txt'])
    await expect(planCopy(request({ from: { alias: 'a', names: ['nope.txt'] } }), source, target)).rejects.toMatchObject({ code: 'E_NOT_FOUND' })
  })
})
