import { describe, expect, it } from 'vitest'
import { sniffBytes } from './sniff-bytes'

describe('sniffing the first bytes of an unknown file', () => {
  it('shows UTF-8 as text, even when the sample ends inside a character', () => {
    const bytes = new TextEncoder().encode('grüße €')
    expect(sniffBytes(bytes)).toEqual({ kind: 'text', text: 'grüße €' })
    expect(sniffBytes(bytes.subarray(0, bytes.length - 1))).toEqual({ kind: 'text', text: 'grüße ' })
  })

  it('dumps bytes with a NUL or invalid UTF-8 as hex with their printable characters', () => {
    const sniffed = sniffBytes(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1]))
    expect(sniffed.kind).toBe('binary')
    expect(sniffed.kind === 'binary' && sniffed.hex).toBe(`000000  ${'89 50 4e 47 00 01'.padEnd(48)}  .PNG..`)
  })
})
