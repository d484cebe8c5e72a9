export type Sniffed = { kind: 'text'; text: string } | { kind: 'binary'; hex: string }

/**
 * What a file's first bytes look like: valid UTF-8 without NUL bytes is text, anything else a hex dump
 * of its first 512 bytes. A sample cut mid-character is still text: an incomplete sequence at the very end
 * is ignored.
 */
export function sniffBytes(bytes: Uint8Array): Sniffed {
  if (!bytes.includes(0)) {
    try {
      return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, withoutIncompleteTail(bytes))) }
    } catch {
      // Not UTF-8: a hex dump below.
    }
  }
  const lines: string[] = []
  for (let offset = 0; offset < Math.min(bytes.length, 512); offset += 16) {
    const row = [...bytes.subarray(offset, offset + 16)]
    const hex = row.map((b) => b.toString(16).padStart(2, '0')).join(' ')
    const ascii = row.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')
    lines.push(`${offset.toString(16).padStart(6, '0')}  ${hex.padEnd(48)}  ${ascii}`)
  }
  return { kind: 'binary', hex: lines.join('\n') }
}

function withoutIncompleteTail(bytes: Uint8Array): number {
  const end = bytes.length
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = bytes[end - back] ?? 0
    if ((byte & 0xc0) === 0x80) continue
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return need > back ? end - back : end
  }
  return end
}
