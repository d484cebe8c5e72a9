import { describe, expect, it } from 'vitest'
import { prng } from '../../../../test/support/fuzz'
import { listFolderPage, type ListPage } from './s3-listing'

/**
 * ListObjectsV2 as S3 documents it, over a sorted key list: keys after StartAfter (or the token), those
 * under a deeper "/" rolled up into common prefixes, each key and each new prefix counting towards
 * MaxKeys, the token resuming after the last thing returned. s3rver truncates in its own folder-walk
 * order, so paging over S3's order, cut at any point, is checked here against this rule.
 */
function s3Lister(keys: string[], prefix: string, maxKeys: number): ListPage {
  const sorted = [...new Set(keys)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  return async ({ StartAfter, ContinuationToken }) => {
    // The token says what came last: a key ("K:…") or a common prefix ("P:…"), to resume after all of it.
    const after = ContinuationToken?.slice(2) ?? StartAfter ?? ''
    const afterPrefix = ContinuationToken?.startsWith('P:') ? after : undefined
    const Contents: { Key: string }[] = []
    const CommonPrefixes: { Prefix: string }[] = []
    let last: string | undefined
    let lastToken: string | undefined
    for (const key of sorted) {
      if (!key.startsWith(prefix) || Buffer.compare(Buffer.from(key), Buffer.from(after)) <= 0) continue
      if (afterPrefix !== undefined && key.startsWith(afterPrefix)) continue
      const slash = key.indexOf('/', prefix.length)
      const common = slash === -1 ? undefined : key.slice(0, slash + 1)
      if (common !== undefined && common === last) continue
      if (Contents.length + CommonPrefixes.length === maxKeys) return { Contents, CommonPrefixes, IsTruncated: true, NextContinuationToken: lastToken }
      if (common !== undefined) CommonPrefixes.push({ Prefix: (last = common) })
      else Contents.push({ Key: (last = key) })
      lastToken = `${common !== undefined ? 'P' : 'K'}:${last}`
    }
    return { Contents, CommonPrefixes, IsTruncated: false }
  }
}

async function allPages(list: ListPage, prefix: string, limit: number): Promise<string[]> {
  const seen: string[] = []
  let cursor: string | null = null
  for (let pages = 0; pages < 1000; pages++) {
    const page: Awaited<ReturnType<typeof listFolderPage>> = await listFolderPage(list, { keyPrefix: prefix, namePrefix: 'd/', cursor, limit })
    expect(page.entries.length).toBeLessThanOrEqual(limit)
    if (page.cursor !== null) expect(page.entries.length).toBe(limit)
    seen.push(...page.entries.map((e) => `${e.type}:${e.name}`))
    cursor = page.cursor
    if (cursor === null) return seen
  }
  throw new Error('the listing never ended')
}

/** What the folder holds, by name in byte order, a file before a folder of the same name. */
function expected(keys: string[], prefix: string): string[] {
  const entries = new Map<string, { type: string; rel: string }>()
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue
    const rest = key.slice(prefix.length)
    const slash = rest.indexOf('/')
    const [type, rel] = slash === -1 ? ['file', rest] : ['dir', rest.slice(0, slash)]
    if (rel === '' || rel === '.' || rel === '..') continue
    entries.set(`${type}:${rel}`, { type, rel })
  }
  return [...entries.values()]
    .sort((a, b) => Buffer.compare(Buffer.from(a.rel), Buffer.from(b.rel)) || (a.type === 'file' ? -1 : 1))
    .map((e) => `${e.type}:d/${e.rel}`)
}

describe('paging a bucket folder', () => {
  it('lists every entry once, sorted, whatever the page size and wherever S3 cuts its pages', async () => {
    const random = prng(11)
    // Few letters and short names, so folders and names that extend them ("a", "a-", "a.😀") meet often.
    const alphabet = ['a', '-', '.', ' ', '/', '/', '😀', '\uE000']
    for (let round = 0; round < 60; round++) {
      const keys: string[] = ['other/x', 'root/d-sibling', 'root/d/']
      for (let i = 0; i < 5 + Math.floor(random() * 25); i++) {
        let rel = ''
        for (let j = 0; j < 1 + Math.floor(random() * 4); j++) rel += alphabet[Math.floor(random() * alphabet.length)]
        keys.push(`root/d/${rel}`)
      }
      const want = expected(keys, 'root/d/')
      for (const maxKeys of [1, 2, 5, 1000]) {
        for (const limit of [1, 2, 3, 10]) {
          const got = await allPages(s3Lister(keys, 'root/d/', maxKeys), 'root/d/', limit)
          expect(got, `keys ${JSON.stringify(keys)}, S3 pages of ${maxKeys}, pages of ${limit}`).toEqual(want)
        }
      }
    }
  })

  it('puts a folder before the names that extend it with a character below "/", as names sort', async () => {
    const keys = ['p/a-b', 'p/a.txt', 'p/a/x', 'p/a.d/y', 'p/b']
    const page = await listFolderPage(s3Lister(keys, 'p/', 1000), { keyPrefix: 'p/', namePrefix: '', cursor: null, limit: 10 })
    expect(page.entries.map((e) => e.name)).toEqual(['a', 'a-b', 'a.d', 'a.txt', 'b'])
    expect(page.cursor).toBeNull()
    // S3 gives "a-b" first and "a/" only after "a.txt": a first page of one must still wait for "a".
    const first = await listFolderPage(s3Lister(keys, 'p/', 1), { keyPrefix: 'p/', namePrefix: '', cursor: null, limit: 1 })
    expect(first.entries.map((e) => e.name)).toEqual(['a'])
  })

  it('refuses a cursor it did not give', async () => {
    await expect(listFolderPage(s3Lister([], 'p/', 10), { keyPrefix: 'p/', namePrefix: '', cursor: 'garbage', limit: 10 })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
  })
})
