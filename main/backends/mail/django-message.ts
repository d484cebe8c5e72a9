import { randomInt } from 'node:crypto'
import { hostname } from 'node:os'
import { domainToASCII } from 'node:url'
import addressparser from 'nodemailer/lib/addressparser'
import { detectMimeType } from 'nodemailer/lib/mime-funcs'
import { BackplaneError, ErrorCode } from '../../core/errors'
import type { EmailAttachment, EmailMessage } from './message'
import { addrSpec, base64Body, encodeHeader, foldHeader, formatAddress, formatDate, formatParam, isAscii, quotedPrintableBody, splitlines } from './python-email'

/**
 * A message as Django's `EmailMessage.message().as_bytes()` makes it (django/core/mail/message.py with the
 * stdlib's compat32 policy, Django 3.2 to 5.2): the same MIME tree, header order, encodings and folding,
 * "\n" line ends. The console and file engines write this, so their output diffs cleanly against
 * Django's; the engines that deliver (SMTP, outbox) use nodemailer's composition instead.
 */
export function djangoMessageBytes(message: EmailMessage, defaultFrom: string, options: { date?: Date; messageId?: string } = {}): Buffer {
  const extra = message.headers ?? {}
  const names = Object.keys(extra).map((name) => name.toLowerCase())
  // EmailMessage(body=text) with attach_alternative(html, "text/html"); HTML alone is content_subtype = "html".
  const html = message.html
  const alternatives = html !== undefined && message.text !== undefined ? [html] : []
  const body = message.text ?? html ?? ''
  let root = textPart(body, message.text === undefined && html !== undefined ? 'html' : 'plain')
  if (alternatives.length) root = multipart('alternative', [...(body ? [root] : []), ...alternatives.map((a) => textPart(a, 'html'))])
  const attachments = message.attachments ?? []
  if (attachments.length) {
    // Django has no inline images of its own; the usual recipe is MIMEImage + Content-ID + mixed_subtype = "related".
    const subtype = attachments.some((a) => a.cid) ? 'related' : 'mixed'
    root = multipart(subtype, [...(body || Array.isArray(root.body) ? [root] : []), ...attachments.map(attachmentPart)])
  }
  setHeader(root, 'Subject', message.subject ?? '')
  setHeader(root, 'From', extra.From ?? (message.from || defaultFrom))
  for (const [name, values] of [['To', message.to], ['Cc', message.cc], ['Reply-To', message.replyTo]] as const) {
    if (values?.length) setHeader(root, name, extra[name] ?? values.join(', '))
  }
  if (!names.includes('date')) setHeader(root, 'Date', formatDate(options.date ?? new Date()))
  if (!names.includes('message-id')) setHeader(root, 'Message-ID', options.messageId ?? makeMessageId())
  for (const [name, value] of Object.entries(extra)) if (name.toLowerCase() !== 'from') setHeader(root, name, value)
  return Buffer.from(flatten(root), 'latin1')
}

/** A MIME part: headers in order and either the body's bytes (as latin1 text) or subparts. */
interface MimePart {
  headers: [string, string][]
  body: string | MimePart[]
}

// Address headers get each address encoded on its own (ADDRESS_HEADERS in message.py).
const ADDRESS_HEADERS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'resent-from', 'resent-sender', 'resent-to', 'resent-cc', 'resent-bcc'])
const RFC5322_LINE_LIMIT = 998

/** SafeMIME*.__setitem__ → forbid_multi_line_headers(). */
function setHeader(part: MimePart, name: string, raw: string): void {
  let value = raw
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) {
    throw new BackplaneError(ErrorCode.E_BAD_HEADER, `"${name}" is not a valid header name.`, { hint: 'Header names are printable ASCII without spaces or colons.' })
  }
  if (/[\r\n]/.test(value)) {
    throw new BackplaneError(ErrorCode.E_BAD_HEADER, `Header values cannot contain newlines (header "${name}").`, { hint: 'Remove the line break; it would let one header inject others.' })
  }
  if (!isAscii(value)) {
    value = ADDRESS_HEADERS.has(name.toLowerCase()) ? addressparser(value, { flatten: true }).map(sanitizeAddress).join(', ') : encodeHeader(value, { charset: 'utf-8' })
  } else if (name.toLowerCase() === 'subject') {
    value = encodeHeader(value)
  }
  part.headers.push([name, value])
}

/** sanitize_address((name, address), "utf-8"). */
function sanitizeAddress({ name, address }: { name: string; address: string }): string {
  const at = address.lastIndexOf('@')
  const local = at < 0 ? address : address.slice(0, at)
  const domain = at < 0 ? '' : address.slice(at + 1)
  const encodedName = encodeHeader(name, { charset: isAscii(name) ? 'us-ascii' : 'utf-8' })
  const encodedLocal = isAscii(local) ? local : encodeHeader(local, { charset: 'utf-8' })
  // Django's punycode(): the IDNA codec, which leaves ASCII labels as they are.
  const asciiDomain = domain
    .split('.')
    .map((label) => (isAscii(label) ? label : domainToASCII(label)))
    .join('.')
  return formatAddress(encodedName, addrSpec(encodedLocal, asciiDomain))
}

/** SafeMIMEText(content, subtype, "utf-8"): 7bit or 8bit, quoted-printable when a line is over 998 bytes. */
function textPart(content: string, subtype: string): MimePart {
  const part: MimePart = { headers: [['Content-Type', `text/${subtype}; ${formatParam('charset', 'utf-8')}`], ['MIME-Version', '1.0']], body: '' }
  const bytes = Buffer.from(content, 'utf8')
  if (splitlines(content).some((line) => Buffer.byteLength(line, 'utf8') > RFC5322_LINE_LIMIT)) {
    part.body = quotedPrintableBody(bytes)
    part.headers.push(['Content-Transfer-Encoding', 'quoted-printable'])
  } else {
    part.body = bytes.toString('latin1')
    part.headers.push(['Content-Transfer-Encoding', isAscii(content) ? '7bit' : '8bit'])
  }
  return part
}

/** MIMEBase(maintype, subtype) with encode_base64(). */
function binaryPart(content: Buffer, mimetype: string): MimePart {
  return { headers: [['Content-Type', mimetype], ['MIME-Version', '1.0'], ['Content-Transfer-Encoding', 'base64']], body: base64Body(content) }
}

function multipart(subtype: string, parts: MimePart[]): MimePart {
  return { headers: [['Content-Type', `multipart/${subtype}`], ['MIME-Version', '1.0']], body: parts }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** EmailMessage.attach() + _create_attachment(): text/* decoded as UTF-8 (else octet-stream), the rest base64. */
function attachmentPart(attachment: EmailAttachment): MimePart {
  let mimetype = (attachment.contentType?.split(';')[0]?.trim() || detectMimeType(attachment.filename.split('.').pop() ?? '')) || 'application/octet-stream'
  let part: MimePart | undefined
  if (mimetype.startsWith('text/')) {
    try {
      part = textPart(utf8.decode(attachment.content), mimetype.slice('text/'.length))
    } catch {
      mimetype = 'application/octet-stream'
    }
  }
  part ??= binaryPart(attachment.content, mimetype)
  if (attachment.cid) {
    part.headers.push(['Content-ID', `<${attachment.cid}>`])
    part.headers.push(['Content-Disposition', `inline; ${formatParam('filename', attachment.filename)}`])
  } else if (attachment.filename) {
    part.headers.push(['Content-Disposition', `attachment; ${formatParam('filename', attachment.filename)}`])
  }
  return part
}

/** email.utils.make_msgid(domain=DNS_NAME). */
export function makeMessageId(): string {
  const random64 = (BigInt(randomInt(2 ** 32)) << 32n) | BigInt(randomInt(2 ** 32))
  return `<${Math.floor(Date.now() / 10)}.${process.pid}.${random64}@${hostname()}>`
}

/** Generator._make_boundary(): 15 "=", 19 digits, "==", with a counter if the text already holds it. */
function makeBoundary(text: string): string {
  const digits = `${randomInt(10 ** 9)}`.padStart(9, '0') + `${randomInt(10 ** 10)}`.padStart(10, '0')
  const boundary = `${'='.repeat(15)}${digits}==`
  let candidate = boundary
  for (let counter = 0; new RegExp(`^--${candidate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(--)?$`, 'm').test(text); counter++) candidate = `${boundary}.${counter}`
  return candidate
}

/** BytesGenerator(mangle_from_=False).flatten(msg, linesep="\n"), as latin1 text standing for bytes. */
function flatten(part: MimePart): string {
  let body: string
  if (Array.isArray(part.body)) {
    const texts = part.body.map(flatten)
    const boundary = makeBoundary(texts.join('\n'))
    const contentType = part.headers.find(([name]) => name.toLowerCase() === 'content-type')
    if (contentType) contentType[1] = `${contentType[1]}; boundary="${boundary}"`
    body = `--${boundary}\n${texts.map((text, i) => (i === 0 ? text : `\n--${boundary}\n${text}`)).join('')}\n--${boundary}--\n`
  } else {
    // Generator._write_lines(): every line end becomes "\n"; no newline is added at the end.
    body = part.body.replace(/\r\n|\r/g, '\n')
  }
  return `${part.headers.map(([name, value]) => foldHeader(name, value)).join('')}\n${body}`
}
