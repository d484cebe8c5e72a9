/**
 * The parts of CPython's `email` package (policy compat32) that decide how Django's EmailMessage looks as
 * bytes: header folding (email/header.py: Header.encode, _ValueFormatter), RFC 2047 encoded words
 * (charset.py with utf-8's SHORTEST choice between base64 and Q), quoted-printable and base64 bodies,
 * MIME parameters (message.py _formatparam, RFC 2231) and formataddr/formatdate (utils.py).
 *
 * Ported line by line so that the console and file engines write what Django writes; the comments name
 * the Python function each piece mirrors. Only the paths Django takes are here: one chunk per header,
 * charset us-ascii or utf-8.
 */

type HeaderCharset = 'us-ascii' | 'utf-8'

const MAXLINELEN = 78
/** len(charset) + RFC2047_CHROME_LEN (charset.py), for utf-8. */
const UTF8_CHROME = 'utf-8'.length + 7

// Every line boundary Python's str.splitlines() knows besides "\r\n": \n \r \v \f, FS, GS, RS, NEL, LS, PS.
const LINE_BREAKS = new Set([0x0a, 0x0d, 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029])

/** Python's str.splitlines(): separators dropped, no empty last line. */
export function splitlines(text: string): string[] {
  const lines: string[] = []
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (!LINE_BREAKS.has(text.charCodeAt(i))) continue
    lines.push(text.slice(start, i))
    if (text[i] === '\r' && text[i + 1] === '\n') i++
    start = i + 1
  }
  if (start < text.length) lines.push(text.slice(start))
  return lines
}

export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false
  return true
}

// quoprimime._QUOPRI_HEADER_MAP: letters, digits and -!*+/ stay, space becomes _, the rest =XX.
const HEADER_SAFE = /[A-Za-z0-9\-!*+/]/
function qHeaderByte(byte: number): string {
  const ch = String.fromCharCode(byte)
  if (byte < 128 && HEADER_SAFE.test(ch)) return ch
  if (byte === 0x20) return '_'
  return `=${byte.toString(16).toUpperCase().padStart(2, '0')}`
}

function qHeaderLength(bytes: Buffer): number {
  let n = 0
  for (const byte of bytes) n += qHeaderByte(byte).length
  return n
}

function base64HeaderLength(bytes: Buffer): number {
  return Math.ceil(bytes.length / 3) * 4
}

/** Charset('utf-8').header_encode_lines(): encoded words that fit the given line lengths, split on characters. */
function utf8EncodeLines(text: string, maxlengths: () => number): (string | null)[] {
  const whole = Buffer.from(text, 'utf8')
  // _get_encoder(): SHORTEST picks base64 only when strictly shorter.
  const useBase64 = base64HeaderLength(whole) < qHeaderLength(whole)
  const length = (bytes: Buffer) => (useBase64 ? base64HeaderLength(bytes) : qHeaderLength(bytes))
  const encode = (chunk: string) => {
    if (chunk === '') return ''
    const bytes = Buffer.from(chunk, 'utf8')
    if (useBase64) return `=?utf-8?b?${bytes.toString('base64')}?=`
    let out = ''
    for (const byte of bytes) out += qHeaderByte(byte)
    return `=?utf-8?q?${out}?=`
  }
  const lines: (string | null)[] = []
  let current: string[] = []
  let maxlen = maxlengths() - UTF8_CHROME
  for (const character of text) {
    current.push(character)
    if (length(Buffer.from(current.join(''), 'utf8')) > maxlen) {
      current.pop()
      if (lines.length === 0 && current.length === 0) lines.push(null)
      else lines.push(encode(current.join('')))
      current = [character]
      maxlen = maxlengths() - UTF8_CHROME
    }
  }
  lines.push(encode(current.join('')))
  return lines
}

type Part = [fws: string, text: string]

/** email.header._Accumulator: the parts of the line being built, with the room the header name takes. */
class Accumulator {
  parts: Part[] = []
  constructor(public initialSize = 0) {}
  push(fws: string, text: string): void {
    this.parts.push([fws, text])
  }
  pop(): Part {
    return this.parts.pop() ?? ['', '']
  }
  popFrom(i: number): Part[] {
    return this.parts.splice(i)
  }
  get length(): number {
    return this.parts.reduce((n, [fws, text]) => n + fws.length + text.length, this.initialSize)
  }
  toString(): string {
    return this.parts.map(([fws, text]) => fws + text).join('')
  }
  reset(start: Part[] = []): void {
    this.parts = start
    this.initialSize = 0
  }
  isOnlyWhitespace(): boolean {
    return this.initialSize === 0 && (this.parts.length === 0 || /^\s+$/.test(this.toString()))
  }
}

/** email.header._ValueFormatter. */
class ValueFormatter {
  private readonly lines: string[] = []
  private current: Accumulator

  constructor(
    headerLength: number,
    private readonly maxlen: number,
    private readonly continuationWs: string,
    private readonly splitchars: string,
  ) {
    this.current = new Accumulator(headerLength)
  }

  toString(linesep: string): string {
    this.newline()
    return this.lines.join(linesep)
  }

  newline(): void {
    const end = this.current.pop()
    if (end[0] !== ' ' || end[1] !== '') this.current.push(...end)
    if (this.current.length > 0) {
      if (this.current.isOnlyWhitespace() && this.lines.length > 0) this.lines[this.lines.length - 1] += this.current.toString()
      else this.lines.push(this.current.toString())
    }
    this.current.reset()
  }

  addTransition(): void {
    this.current.push(' ', '')
  }

  feed(fws: string, text: string, charset: HeaderCharset): void {
    if (charset === 'us-ascii') return this.asciiSplit(fws, text)
    let first = true
    const encoded = utf8EncodeLines(text, () => {
      if (first) {
        first = false
        return this.maxlen - this.current.length
      }
      return this.maxlen - this.continuationWs.length
    })
    const firstLine = encoded.shift()
    if (firstLine === undefined) return
    if (firstLine !== null) this.appendChunk(fws, firstLine)
    const lastLine = encoded.pop()
    if (lastLine === undefined) return
    this.newline()
    this.current.push(this.continuationWs, lastLine ?? '')
    for (const line of encoded) this.lines.push(this.continuationWs + (line ?? ''))
  }

  private asciiSplit(fws: string, text: string): void {
    const parts = (fws + text).split(/([ \t]+)/)
    if (parts[0]) parts.unshift('')
    else parts.shift()
    for (let i = 0; i + 1 < parts.length; i += 2) this.appendChunk(parts[i]!, parts[i + 1]!)
  }

  private appendChunk(fws: string, text: string): void {
    this.current.push(fws, text)
    if (this.current.length <= this.maxlen) return
    // Find the best split point, working backward from the end (Python's for/else, unrolled).
    let split = -1
    for (const ch of this.splitchars) {
      for (let i = this.current.parts.length - 1; i > 0; i--) {
        if (/\s/.test(ch)) {
          const partFws = this.current.parts[i]![0]
          if (partFws && partFws[0] === ch) {
            split = i
            break
          }
        }
        const previous = this.current.parts[i - 1]![1]
        if (previous && previous[previous.length - 1] === ch) {
          split = i
          break
        }
      }
      if (split >= 0) break
    }
    if (split < 0) {
      const [poppedFws, last] = this.current.pop()
      let lastFws = poppedFws
      if (this.current.initialSize > 0) {
        // There will be a header, so leave it on a line by itself.
        this.newline()
        if (!lastFws) lastFws = ' '
      }
      this.current.push(lastFws, last)
      return
    }
    const remainder = this.current.popFrom(split)
    this.lines.push(this.current.toString())
    this.current.reset(remainder)
  }
}

/**
 * `Header(value, charset, header_name=name).encode(maxlinelen=…, linesep=…)` for one chunk. A value that
 * is not ASCII under us-ascii switches to utf-8, as Header.append() does.
 */
export function encodeHeader(value: string, options: { charset?: HeaderCharset; headerName?: string; maxlinelen?: number; linesep?: string } = {}): string {
  const charset: HeaderCharset = options.charset === 'utf-8' || !isAscii(value) ? 'utf-8' : 'us-ascii'
  const maxlinelen = options.maxlinelen === 0 ? 1_000_000 : (options.maxlinelen ?? MAXLINELEN)
  const headerLength = options.headerName === undefined ? 0 : options.headerName.length + 2
  const formatter = new ValueFormatter(headerLength, maxlinelen, ' ', ';, \t')
  const lines = splitlines(value)
  formatter.feed('', lines[0] ?? '', charset)
  for (const line of lines.slice(1)) {
    formatter.newline()
    if (charset === 'utf-8') {
      formatter.feed(' ', ` ${line.replace(/^\s+/, '')}`, charset)
    } else {
      const stripped = line.replace(/^\s+/, '')
      formatter.feed(line.slice(0, line.length - stripped.length), stripped, charset)
    }
  }
  if (lines.length > 1) formatter.newline()
  formatter.addTransition()
  return formatter.toString(options.linesep ?? '\n')
}

/** Compat32._fold(): "Name: value" folded at 78 with the generator's line separator, ending in it. */
export function foldHeader(name: string, value: string, linesep = '\n'): string {
  return `${name}: ${encodeHeader(value, { headerName: name, maxlinelen: MAXLINELEN, linesep })}${linesep}`
}

/** urllib.parse.quote(s, safe=''): everything but letters, digits and _.-~ as %XX of its UTF-8 bytes. */
function percentQuote(text: string): string {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte)
    out += /[A-Za-z0-9_.\-~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** message._formatparam(param, value, quote=True): quoted ASCII, or RFC 2231 `param*=utf-8''…`. */
export function formatParam(param: string, value: string): string {
  if (value === '') return param
  if (!isAscii(value)) return `${param}*=utf-8''${percentQuote(value)}`
  return `${param}="${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`
}

/** utils.formataddr((name, addr)) for a name that is ASCII already (Django encodes it first). */
export function formatAddress(name: string, addrSpec: string): string {
  if (!name) return addrSpec
  const quotes = /[\][\\()<>@,:;".]/.test(name) ? '"' : ''
  return `${quotes}${name.replace(/[\\"]/g, (c) => `\\${c}`)}${quotes} <${addrSpec}>`
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** utils.formatdate(localtime=False): UTC with the "-0000" zone (Django's EMAIL_USE_LOCALTIME = False). */
export function formatDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${DAYS[date.getUTCDay()]}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCFullYear()).padStart(4, '0')} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} -0000`
}

/** base64.encodebytes(): lines of 76 characters, each ending in a newline. */
export function base64Body(bytes: Buffer): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 57) out += `${bytes.subarray(i, i + 57).toString('base64')}\n`
  return out
}

// quoprimime._QUOPRI_BODY_ENCODE_MAP: printable ASCII but "=", tab and space stay, CR and LF stay.
function qpBodyChar(code: number): string {
  if ((code >= 0x20 && code <= 0x7e && code !== 0x3d) || code === 0x09 || code === 0x0a || code === 0x0d) return String.fromCharCode(code)
  return `=${code.toString(16).toUpperCase().padStart(2, '0')}`
}

/** quoprimime.body_encode(body, maxlinelen=76, eol='\n') over the bytes of the body. */
export function quotedPrintableBody(bytes: Buffer, maxlinelen = 76, eol = '\n'): string {
  if (bytes.length === 0) return ''
  let body = ''
  for (const byte of bytes) body += qpBodyChar(byte)
  const softBreak = `=${eol}`
  const maxlinelen1 = maxlinelen - 1
  const encoded: string[] = []
  for (const line of splitlines(body)) {
    let start = 0
    const laststart = line.length - 1 - maxlinelen
    while (start <= laststart) {
      const stop = start + maxlinelen1
      if (line[stop - 2] === '=') {
        encoded.push(line.slice(start, stop - 1))
        start = stop - 2
      } else if (line[stop - 1] === '=') {
        encoded.push(line.slice(start, stop))
        start = stop - 1
      } else {
        encoded.push(`${line.slice(start, stop)}=`)
        start = stop
      }
    }
    const last = line[line.length - 1]
    if (line && (last === ' ' || last === '\t')) {
      const room = start - laststart
      const quoted = `=${last.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
      const tail = room >= 3 ? quoted : room === 2 ? last + softBreak : softBreak + quoted
      encoded.push(line.slice(start, -1) + tail)
    } else {
      encoded.push(line.slice(start))
    }
  }
  if (body.endsWith('\r') || body.endsWith('\n')) encoded.push('')
  return encoded.join(eol)
}

// headerregistry.Address.addr_spec quotes a local part holding any of these (DOT_ATOM_ENDS).
const DOT_ATOM_ENDS = /[()<>@,:;\\"[\] \t]/

/** Address(username, domain).addr_spec. */
export function addrSpec(localPart: string, domain: string): string {
  const lp = DOT_ATOM_ENDS.test(localPart) ? `"${localPart.replace(/[\\"]/g, (c) => `\\${c}`)}"` : localPart
  if (domain) return `${lp}@${domain}`
  return lp || '<>'
}
