import { describe, expect, it } from 'vitest'
import { isStorageRoute, parseRoutePath } from './route-path'

const codeOf = (path: string) => {
  try {
    parseRoutePath(path)
  } catch (err) {
    return (err as { code?: string }).code
  }
  return 'parsed'
}

describe('the storage routes, as their paths arrive (still encoded)', () => {
  it('knows its own routes and no others', () => {
    for (const path of ['/api/v1/storage/default/a.txt', '/api/v1/storage-zip/default', '/api/v1/storage-zip']) expect(isStorageRoute(path), path).toBe(true)
    for (const path of ['/api/v1/storage', '/api/v1/storagex/a', '/rpc/storage.list', '/api/v1/storage-zipper/x', '/', '']) expect(isStorageRoute(path), path).toBe(false)
  })

  it('decodes each segment by itself: folders are plain slashes, everything else is one name', () => {
    expect(parseRoutePath('/api/v1/storage/default/reports/q%203.pdf')).toEqual({ route: 'file', alias: 'default', name: 'reports/q 3.pdf' })
    expect(parseRoutePath('/api/v1/storage/my%20media/%E4%B8%96%E7%95%8C/%23%3F%25.txt')).toEqual({ route: 'file', alias: 'my media', name: '世界/#?%.txt' })
    expect(parseRoutePath('/api/v1/storage/default/')).toEqual({ route: 'file', alias: 'default', name: '' })
    expect(parseRoutePath('/api/v1/storage/default')).toEqual({ route: 'file', alias: 'default', name: '' })
  })

  it('refuses a segment that decodes to a separator or NUL, and broken escapes, as a bad name', () => {
    for (const path of [
      '/api/v1/storage/default/a%2Fb',
      '/api/v1/storage/default/a%2fb',
      '/api/v1/storage/default/a%5Cb',
      '/api/v1/storage/default/a%00b',
      '/api/v1/storage/default/%2e%2e%2fetc',
      '/api/v1/storage/a%2Fb/file',
      '/api/v1/storage/default/%E0%A4%A',
      '/api/v1/storage/default/%C0%AF',
    ]) {
      expect(codeOf(path), path).toBe('E_INVALID_NAME')
    }
  })

  it('passes ".." on to the engine, which refuses it with its own error (never resolved here)', () => {
    expect(parseRoutePath('/api/v1/storage/default/a/%2e%2e/b')).toEqual({ route: 'file', alias: 'default', name: 'a/../b' })
  })

  it('needs an alias, and the zip route takes its names as ?name=', () => {
    expect(codeOf('/api/v1/storage/')).toBe('E_INVALID_INPUT')
    expect(codeOf('/api/v1/storage//a.txt')).toBe('E_INVALID_INPUT')
    expect(codeOf('/api/v1/storage-zip')).toBe('E_INVALID_INPUT')
    expect(codeOf('/api/v1/storage-zip/')).toBe('E_INVALID_INPUT')
    expect(codeOf('/api/v1/storage-zip/default/photos')).toBe('E_INVALID_INPUT')
    expect(parseRoutePath('/api/v1/storage-zip/default')).toEqual({ route: 'zip', alias: 'default', name: '' })
    expect(parseRoutePath('/api/v1/storage-zip/default/')).toEqual({ route: 'zip', alias: 'default', name: '' })
  })
})

describe('what a refused path says', () => {
  const errorOf = (path: string) => {
    try {
      parseRoutePath(path)
    } catch (err) {
      return err as { code: string; message: string; hint?: string }
    }
    throw new Error(`${path} parsed`)
  }
  it('hints at the route that was meant, and quotes at most 100 characters of the bad part', () => {
    expect(errorOf('/api/v1/storage-zip/').hint).toMatch(/storage-zip\/<alias>\?name=/)
    expect(errorOf('/api/v1/storage/').hint).toMatch(/storage\/<alias>\/<path/)
    const long = errorOf(`/api/v1/storage/default/${'x'.repeat(300)}%2F`)
    expect(long.hint).toMatch(/plain "\/"/)
    expect(long.message.length).toBeLessThan(220)
    const broken = errorOf(`/api/v1/storage/default/${'y'.repeat(300)}%E0%A4%A`)
    expect(broken.hint).toMatch(/encodeURIComponent/)
    expect(broken.message.length).toBeLessThan(220)
  })
})
