import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { EmailMessage } from '../../main/backends/mail/base'
import { SYSTEM_PYTHON } from './services'

const run = promisify(execFile)

/**
 * Sends the messages through Django's own file or console backend (test/support/django_send.py, run by
 * the system Python with python3-django) and returns what Django wrote to stdout.
 */
export async function sendWithDjango(backend: 'file' | 'console', messages: readonly EmailMessage[], folder?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'backplane-django-'))
  try {
    const source = join(dir, 'messages.json')
    const described = messages.map(({ attachments, ...rest }) => ({ ...rest, attachments: (attachments ?? []).map((a) => ({ ...a, content: a.content.toString('base64') })) }))
    writeFileSync(source, JSON.stringify(described))
    const { stdout } = await run(SYSTEM_PYTHON, [join(__dirname, 'django_send.py'), backend, source, ...(folder ? [folder] : [])], { maxBuffer: 64 * 1024 * 1024, encoding: 'latin1' })
    return stdout
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * What may differ between two renderings of the same message, and nothing else: the Message-ID and
 * Date values, and MIME boundaries (numbered in order of appearance).
 */
export function normalizeMessageText(text: string): string {
  const boundaries = new Map<string, string>()
  return text
    .replace(/^Message-ID: .*$/gm, 'Message-ID: <normalized>')
    .replace(/^Date: .*$/gm, 'Date: <normalized>')
    .replace(/={15}\d{19}==(?:\.\d+)?/g, (b) => {
      if (!boundaries.has(b)) boundaries.set(b, `<boundary ${boundaries.size + 1}>`)
      return boundaries.get(b)!
    })
}

/** Messages that take Django's rendering through its corners: encoded words, folding, QP, base64, RFC 2231, inline parts. */
export function djangoSampleMessages(): EmailMessage[] {
  const long = 'Lorem ipsum dolor sit amet, '.repeat(40)
  return [
    { from: 'app@example.test', to: ['user1@example.test'], subject: 'Hello', text: 'Plain ASCII body' },
    {
      from: 'Site <noreply@example.test>',
      to: ['Zoë Müller <zoe@example.test>', 'b@example.test'],
      cc: ['Ça va <cc@exämple.test>'],
      bcc: ['audit@example.test'],
      replyTo: ['reply@example.test'],
      subject: 'Réinitialisation du mot de passe — Grüße aus Köln, und noch mehr Text damit die Zeile gefaltet wird 😃',
      text: 'Voici le lien\nligne deux\r\nligne trois — ü\n',
      html: "<p>Voici le <a href='https://example.test/reset'>lien</a></p>",
      headers: { 'X-Campaign': 'spring; a header value long enough to be folded at the seventy-eighth column by the generator' },
    },
    {
      from: '"Müller, Zoë" <zoe@example.test>',
      to: ['x@example.test'],
      subject: 'An ASCII subject long enough that Django folds it once in Header().encode() and again in the generator',
      text: 'See the attachments.',
      attachments: [
        { filename: 'reçu-№1.txt', content: Buffer.from('contenu é\n'), contentType: 'text/plain' },
        { filename: 'report.pdf', content: Buffer.alloc(300, 7), contentType: 'application/pdf' },
        { filename: 'not-utf8.txt', content: Buffer.from([0xff, 0xfe, 0x00]), contentType: 'text/plain' },
      ],
    },
    { from: 'app@example.test', to: ['x@example.test'], subject: 'HTML only', html: '<p>only <b>HTML</b></p>' },
    { from: 'app@example.test', to: ['x@example.test'], subject: 'Long lines', text: `${long}é${long}`, html: `<p>é</p>${long} \t` },
    { from: 'app@example.test', to: ['x@example.test'], subject: 'Inline image', text: 'See the logo', html: '<img src="cid:logo">', attachments: [{ filename: 'logo.png', content: Buffer.alloc(120, 1), contentType: 'image/png', cid: 'logo' }] },
    { from: 'app@example.test', to: ['x@example.test'], subject: '', text: '' },
  ]
}
