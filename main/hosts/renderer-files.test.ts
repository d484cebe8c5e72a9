import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentTypeOf, rendererFile } from './renderer-files'

const root = join('/srv', 'renderer')

describe('renderer files', () => {
  it('maps URL paths to files under the root, "/" to index.html', () => {
    expect(rendererFile(root, '/')).toBe(join(root, 'index.html'))
    expect(rendererFile(root, '/assets/index-1.js')).toBe(join(root, 'assets', 'index-1.js'))
    expect(rendererFile(root, '/assets/a%20b.css')).toBe(join(root, 'assets', 'a b.css'))
  })

  it('keeps paths that climb, encoded or not, inside the root', () => {
    for (const path of ['/../secret', '/assets/../../secret', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/secret', '/../renderer-other/x']) {
      const file = rendererFile(root, path)
      expect(file === undefined || file.startsWith(root + '/'), `${path} → ${file}`).toBe(true)
    }
    expect(rendererFile(root, '/..%2f..%2fetc%2fpasswd')).toBe(join(root, 'etc', 'passwd'))
  })

  it('names the content type by extension, with a safe default', () => {
    expect(contentTypeOf('a/index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeOf('a/app.js')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeOf('a/unknown.bin')).toBe('application/octet-stream')
  })
})
