const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  avif: 'image/avif',
  ico: 'image/x-icon',
  bmp: 'image/bmp',
}

export type Preview = { kind: 'image'; src: string } | { kind: 'text'; text: string } | { kind: 'binary'; hex: string }

export function imageTypeOf(name: string): string | undefined {
  return IMAGE_TYPES[name.split('.').pop()?.toLowerCase() ?? '']
}

/**
 * How to show a file's first bytes: images as a data: URL (the CSP allows img data:, and an SVG in
 * an <img> runs no script), valid UTF-8 without NUL bytes as text, anything else as a hex dump.
 */
export function decodePreview(name: string, base64: string): Preview {
  const type = imageTypeOf(name)
  if (type) return { kind: 'image', src: `data:${type};base64,${base64}` }
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))
  if (!bytes.includes(0)) {
    try {
      // A preview cut mid-character is still text: ignore an incomplete sequence at the very end.
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, trimIncompleteUtf8(bytes)))
      return { kind: 'text', text }
    } catch {
      /* not UTF-8: fall through to hex */
    }
  }
  const lines: string[] = []
  for (let offset = 0; offset < Math.min(bytes.length, 512); offset += 16) {
    const row = [...bytes.subarray(offset, offset + 16)]
    lines.push(`${offset.toString(16).padStart(6, '0')}  ${row.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(48)}  ${row.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')}`)
  }
  return { kind: 'binary', hex: lines.join('\n') }
}

function trimIncompleteUtf8(bytes: Uint8Array): number {
  let end = bytes.length
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = bytes[end - back] ?? 0
    if ((byte & 0xc0) === 0x80) continue
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    if (need > back) end -= back
    break
  }
  return end
}
