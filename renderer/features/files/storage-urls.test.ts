import { describe, expect, it } from 'vitest'
import { fileUrl, newTransferId, uploadUrl, zipUrl } from './storage-urls'

describe('storage URLs', () => {
  it('encodes every path segment but keeps the slashes between them', () => {
    expect(fileUrl('media', 'reports/2026 Q1/a#b?.pdf')).toBe('/api/v1/storage/media/reports/2026%20Q1/a%23b%3F.pdf')
  })

  it('encodes a separator inside an alias, so it cannot become a path', () => {
    expect(fileUrl('a/b', 'x')).toBe('/api/v1/storage/a%2Fb/x')
  })

  it('asks for an inline preview and names the transfer', () => {
    expect(fileUrl('default', 'cat.png', { inline: true, transfer: 't-1' })).toBe('/api/v1/storage/default/cat.png?inline=1&transfer=t-1')
  })

  it('puts the conflict rule and the transfer on an upload', () => {
    expect(uploadUrl('default', 'up/n o.txt', 'rename', 't-2')).toBe('/api/v1/storage/default/up/n%20o.txt?conflict=rename&transfer=t-2')
  })

  it('lists every name of a zip in order, then its file name', () => {
    expect(zipUrl('s3', ['a b', 'c/d'], 'x.zip', 't-3')).toBe('/api/v1/storage-zip/s3?name=a+b&name=c%2Fd&filename=x.zip&transfer=t-3')
  })

  it('makes ids that differ', () => {
    expect(newTransferId()).not.toBe(newTransferId())
    expect(newTransferId()).toMatch(/^t-[0-9a-f]{32}$/)
  })
})
