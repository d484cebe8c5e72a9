import { describe, expect, it } from 'vitest'
import { isPreviewTooLarge, previewKindOf } from './preview-kind'

describe('how a file is previewed', () => {
  it('goes by the extension, in any case', () => {
    expect(previewKindOf('photos/Cat.JPG')).toBe('image')
    expect(previewKindOf('docs/manual.pdf')).toBe('pdf')
    expect(previewKindOf('a/song.flac')).toBe('audio')
    expect(previewKindOf('clip.webm')).toBe('video')
    expect(previewKindOf('src/app.tsx')).toBe('text')
    expect(previewKindOf('Makefile')).toBe('text')
  })

  it('falls back to the content type the storage reports', () => {
    expect(previewKindOf('upload-1', 'image/heic')).toBe('image')
    expect(previewKindOf('blob', 'application/json; charset=utf-8')).toBe('text')
    expect(previewKindOf('blob', 'application/octet-stream')).toBe('unknown')
  })

  it('does not take a hidden file for an extension', () => {
    expect(previewKindOf('.png')).toBe('unknown')
  })

  it('caps text at 10 MiB and media at 50 MiB, and never refuses to sniff an unknown file', () => {
    expect(isPreviewTooLarge('text', 10 * 1024 * 1024)).toBe(false)
    expect(isPreviewTooLarge('text', 10 * 1024 * 1024 + 1)).toBe(true)
    expect(isPreviewTooLarge('video', 40 * 1024 * 1024)).toBe(false)
    expect(isPreviewTooLarge('video', 60 * 1024 * 1024)).toBe(true)
    expect(isPreviewTooLarge('unknown', 2 ** 40)).toBe(false)
    expect(isPreviewTooLarge('text', undefined)).toBe(false)
  })
})
