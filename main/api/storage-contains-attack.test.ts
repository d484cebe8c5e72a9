import { PutObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { rawClient } from '../backends/storage/engines/s3-fixture'
import { ROUTES_BUCKET, useS3Routes } from '../../test/support/s3-routes'

/**
 * storage.list with `contains` over the API, on S3 (where the base filters, as for a custom engine)
 * and memory: keys others wrote, paging by 1, and cursors of other listings.
 */
const PREFIX = 'contains-attack/'
const routes = useS3Routes({ token: 'contains-attack-token', prefix: PREFIX })

async function all(alias: string, path: string, contains: string, limit: number): Promise<string[]> {
  const out: string[] = []
  const seen = new Set<string>()
  let cursor: string | null = null
  for (let call = 0; call < 5_000; call++) {
    const page: { entries: { name: string; type: string }[]; cursor: string | null } = await routes.test.app.call('storage.list', { alias, path, cursor, limit, contains })
    expect(page.entries.length).toBeLessThanOrEqual(limit)
    out.push(...page.entries.map((e) => `${e.type}:${e.name}`))
    cursor = page.cursor
    if (cursor === null) return out
    if (seen.has(cursor)) throw new Error(`cursor ${cursor} twice`)
    seen.add(cursor)
  }
  throw new Error('no end')
}

// Guards kept though they pass: the S3 listing's file-and-folder-of-one-name keys had no
// filtered case; a page cut between the file and the folder must lose neither nor repeat one.
describe('s3: contains over keys another tool wrote', () => {
  it('a file and a folder of one name both match, every page size; the folder marker never shows', async () => {
    const raw = rawClient(routes.s3)
    const keys = ['box/Report', 'box/Report/2024.pdf', 'box/report-a.txt', 'box/report.', 'box/report./x', 'box/zz-report/c', 'box/', 'box/other.txt', 'box/REPORTS/']
    for (let i = 0; i < 25; i++) keys.push(`box/pad-${String(i).padStart(2, '0')}.txt`)
    // (s3rver stores keys as files, so it cannot hold "a//b"; real S3 can.)
    for (const key of keys) await raw.send(new PutObjectCommand({ Bucket: ROUTES_BUCKET, Key: PREFIX + key, Body: 'x' }))
    // What the unfiltered listing shows, filtered here.
    const unfiltered = await all('bucket', 'box', '', 500)
    const expected = unfiltered.filter((e) => e.slice(e.lastIndexOf('/') + 1).toLowerCase().includes('report'))
    expect(expected).toEqual(expect.arrayContaining(['file:box/Report', 'dir:box/Report', 'file:box/report-a.txt', 'dir:box/zz-report']))
    const sorted = (list: string[]) => [...list].sort()
    for (const limit of [1, 2, 3, 500]) {
      const found = await all('bucket', 'box', 'report', limit)
      expect(new Set(found).size, `limit ${limit}`).toBe(found.length)
      expect(sorted(found), `limit ${limit}`).toEqual(sorted(expected))
    }
    raw.destroy()
  }, 60_000)
})

describe('a cursor from another folder', () => {
  // What a client sees: it pages folder "one" with a filter, the user opens folder "two", and the
  // client (an old request still in flight, a script) passes the last cursor along. The filesystem
  // engine takes a cursor of another folder as "from the top" (filesystem.ts listFolder); memory and
  // SFTP compare it as if it were a name in this folder (memory.ts / sftp.ts listFolder: a cursor not
  // under the prefix is used whole, and "one/n-match.txt" sorts after "Aardvark-match.txt"), and S3's
  // cursor ("f:n-match.txt", s3-listing.ts encodeCursor) carries no folder at all, so entries of "two"
  // are silently skipped: the listing says it is complete (cursor null) but "two/Aardvark-match.txt"
  // and "two/b-match.txt" are missing. (The unfiltered listing did the same before 5dad603; the filter
  // inherits it.)
  for (const alias of ['mem', 'bucket']) {
    it(`${alias}: never skips names silently (starts from the top or refuses the cursor)`, async () => {
      const call = routes.test.app.call.bind(routes.test.app)
      const storage = (await routes.test.app.pool.get('storage', alias)) as unknown as { put(n: string, c: string): Promise<string> }
      for (const n of ['one/a-match.txt', 'one/n-match.txt', 'one/z-match.txt', 'two/Aardvark-match.txt', 'two/b-match.txt', 'two/zz-match.txt']) await storage.put(n, 'x')
      const first = await call('storage.list', { alias, path: 'one', limit: 2, contains: 'match' })
      expect(first.cursor).not.toBeNull()
      const other = await call('storage.list', { alias, path: 'two', cursor: first.cursor, limit: 500, contains: 'match' }).then(
        (page) => page,
        (error: unknown) => ({ refused: error }),
      )
      if ('refused' in other) return
      expect(other.entries.map((e) => e.name)).toEqual(['two/Aardvark-match.txt', 'two/b-match.txt', 'two/zz-match.txt'])
    })
  }
})
