/**
 * The text encodings pickle arguments use: UTF-8 with Python's 'surrogatepass' (BINUNICODE), the
 * raw-unicode-escape of protocol 0's UNICODE, and the repr() escapes of protocol 0's STRING.
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * UTF-8 as pickle writes it: Python encodes str with 'surrogatepass', so a lone surrogate arrives as
 * its three-byte form, which a strict decoder refuses. Undefined when the bytes are not that either.
 */
export function decodeUtf8(data: Uint8Array): string | undefined {
  const fast = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')
  if (!fast.includes('\uFFFD')) return fast
  try {
    return strictUtf8.decode(data)
  } catch {
    return decodeSurrogatePass(data)
  }
}

function decodeSurrogatePass(data: Uint8Array): string | undefined {
  const units: number[] = []
  for (let i = 0; i < data.length; ) {
    const b0 = data[i] as number
    const length = b0 < 0x80 ? 1 : b0 >= 0xc2 && b0 < 0xe0 ? 2 : b0 >= 0xe0 && b0 < 0xf0 ? 3 : b0 >= 0xf0 && b0 < 0xf5 ? 4 : 0
    if (length === 0 || i + length > data.length) return undefined
    let code = length === 1 ? b0 : b0 & (0xff >> (length + 1))
    for (let k = 1; k < length; k++) {
      const b = data[i + k] as number
      if ((b & 0xc0) !== 0x80) return undefined
      code = (code << 6) | (b & 0x3f)
    }
    const shortest = [0, 0, 0x80, 0x800, 0x10000][length] as number
    if (code < shortest || code > 0x10ffff) return undefined
    if (code >= 0x10000) units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff))
    else units.push(code)
    i += length
  }
  let text = ''
  for (let i = 0; i < units.length; i += 8192) text += String.fromCharCode(...units.slice(i, i + 8192))
  return text
}

/** The inverse: a JS string with lone surrogates encoded as Python's 'surrogatepass' would. */
export function encodeUtf8(text: string): Buffer {
  if (!/[\uD800-\uDFFF]/.test(text)) return Buffer.from(text, 'utf8')
  const parts: Buffer[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0xd800 || unit > 0xdfff) continue
    const next = text.charCodeAt(i + 1)
    if (unit < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) {
      i++
      continue
    }
    parts.push(Buffer.from(text.slice(start, i), 'utf8'), Buffer.from([0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]))
    start = i + 1
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'))
  return Buffer.concat(parts)
}

/** raw-unicode-escape: latin-1, except that an odd run of backslashes before u/U starts a \uXXXX or \UXXXXXXXX escape. */
export function decodeRawUnicodeEscape(data: Uint8Array): string | undefined {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1')
  if (!text.includes('\\')) return text
  let out = ''
  let i = 0
  while (i < text.length) {
    const slash = text.indexOf('\\', i)
    if (slash < 0) break
    let end = slash
    while (text[end] === '\\') end++
    const marker = text[end]
    if ((end - slash) % 2 === 0 || (marker !== 'u' && marker !== 'U')) {
      out += text.slice(i, end)
      i = end
      continue
    }
    const digits = marker === 'u' ? 4 : 8
    const hex = text.slice(end + 1, end + 1 + digits)
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined
    const code = parseInt(hex, 16)
    if (code > 0x10ffff) return undefined
    out += text.slice(i, end - 1) + String.fromCodePoint(code)
    i = end + 1 + digits
  }
  return out + text.slice(i)
}

const SIMPLE_ESCAPES: Record<string, number> = { '\\': 0x5c, "'": 0x27, '"': 0x22, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 }

/** codecs.escape_decode: the escapes of a Python 2 str's repr(), as protocol 0's STRING carries them. */
export function decodeStringEscapes(data: Uint8Array): Buffer | undefined {
  if (!data.includes(0x5c)) return Buffer.from(data)
  const out: number[] = []
  for (let i = 0; i < data.length; i++) {
    const byte = data[i] as number
    if (byte !== 0x5c) {
      out.push(byte)
      continue
    }
    const next = data[++i]
    if (next === undefined) return undefined
    const char = String.fromCharCode(next)
    if (char in SIMPLE_ESCAPES) out.push(SIMPLE_ESCAPES[char] as number)
    else if (char === '\n') continue
    else if (char === 'x') {
      const hex = String.fromCharCode(data[i + 1] ?? 0, data[i + 2] ?? 0)
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined
      out.push(parseInt(hex, 16))
      i += 2
    } else if (char >= '0' && char <= '7') {
      let value = next - 0x30
      for (let k = 0; k < 2 && (data[i + 1] ?? 0) >= 0x30 && (data[i + 1] ?? 0) <= 0x37; k++) value = value * 8 + ((data[++i] as number) - 0x30)
      out.push(value & 0xff)
    } else out.push(0x5c, next)
  }
  return Buffer.from(out)
}
