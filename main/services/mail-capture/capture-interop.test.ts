import { execFile, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOutbox, type OutboxFixture } from '../../../test/support/outbox-fixture'
import { requireTool } from '../../../test/support/services'

const run = promisify(execFile)
const requireServices = process.env.BACKPLANE_REQUIRE_SERVICES === '1'
const hasDjango = spawnSync('/usr/bin/python3', ['-c', 'import django'], { stdio: 'ignore' }).status === 0
if (!hasDjango && !requireServices) process.stderr.write('skipped Python/Django interop: python3-django not installed (apt-get install python3-django)\n')
const withSwaks = requireTool('swaks', 'swaks', 'swaks interop') ? describe : describe.skip
const withPython = hasDjango || requireServices ? describe : describe.skip

let box: OutboxFixture
beforeAll(async () => {
  box = await startOutbox({ smtp: { maxSizeMB: 32 } })
})
afterAll(async () => box.close())

async function newest(): Promise<{ id: number; subject: string; text: string | null; html: string | null; attachmentList: { filename: string; size: number; contentType: string }[]; parseWarning: string | null; headers: { name: string; value: string }[] }> {
  const waited = await box.rest('/api/v1/messages/wait?timeout=5')
  expect(waited.status).toBe(200)
  const list = (await (await box.rest('/api/v1/messages?limit=1')).json()) as { messages: { id: number }[] }
  await expect.poll(async () => ((await (await box.rest(`/api/v1/messages/${list.messages[0]!.id}`)).json()) as { parsed: boolean }).parsed).toBe(true)
  return (await (await box.rest(`/api/v1/messages/${list.messages[0]!.id}`)).json()) as Awaited<ReturnType<typeof newest>>
}

/** Runs a Python 3 snippet with `PORT` set to the capture server's port. */
async function python(code: string): Promise<string> {
  const { stdout } = await run('/usr/bin/python3', ['-c', `PORT = ${box.smtpPort}\n${code}`], { maxBuffer: 64 * 1024 * 1024 })
  return stdout
}

describe('the capture server speaks SMTP', () => {
  it('advertises PIPELINING, 8BITMIME, SMTPUTF8 and its SIZE limit', async () => {
    const socket = connect(box.smtpPort, '127.0.0.1')
    let text = ''
    socket.on('data', (d: Buffer) => (text += d.toString()))
    await expect.poll(() => text).toMatch(/^220 /)
    socket.write('EHLO tester\r\n')
    await expect.poll(() => text).toMatch(/250 [^\n]*\r\n$/)
    socket.end('QUIT\r\n')
    expect(text).toMatch(/250-PIPELINING/)
    expect(text).toMatch(/250-8BITMIME/)
    expect(text).toMatch(/SMTPUTF8/)
    expect(text).toMatch(/SIZE 33554432/)
  })
})

withSwaks('swaks against the capture server', () => {
  it('delivers with pipelining and an RFC 2047 subject, answered 250 with the stored id', async () => {
    const { stdout } = await run('swaks', ['--server', `127.0.0.1:${box.smtpPort}`, '--pipeline', '--from', 'app@example.test', '--to', 'ada@example.test', '--header', 'Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4g8J+Ygw==?=', '--body', 'Hallo Ada'])
    expect(stdout).toMatch(/<-\s+250 Stored as \d+/)
    const message = await newest()
    expect(message.subject).toBe('Grüße aus Köln 😃')
    expect(message.text?.trim()).toBe('Hallo Ada')
  })

  it('upgrades with STARTTLS when it is turned on', async () => {
    const tls = await startOutbox({ smtp: { starttls: true } })
    try {
      const { stdout } = await run('swaks', ['--server', `127.0.0.1:${tls.smtpPort}`, '--tls', '--from', 'a@example.test', '--to', 'b@example.test'])
      expect(stdout).toMatch(/TLS started/)
      expect(stdout).toMatch(/250 Stored as/)
    } finally {
      await tls.close()
    }
  })

  it('checks listed AUTH credentials and files mail per user', async () => {
    const authed = await startOutbox({ smtp: { auth: 'listed' }, mailboxes: 'auth-user' })
    try {
      const view = await authed.app.call('outbox.settings', {})
      await authed.app.call('outbox.saveSettings', { settings: { ...view, smtp: { ...view.smtp, port: authed.smtpPort, users: [{ username: 'project-a', passwordSet: false }] } }, passwords: { 'project-a': 's3cret-pw' } })
      const port = String(authed.app.capture.status().port)
      const args = ['--server', `127.0.0.1:${port}`, '--from', 'a@example.test', '--to', 'b@example.test', '--auth', 'PLAIN', '--auth-user', 'project-a']
      const wrong = await run('swaks', [...args, '--auth-password', 'nope']).catch((e: { stdout: string }) => e)
      expect(wrong.stdout).toMatch(/535/)
      const { stdout } = await run('swaks', [...args, '--auth-password', 's3cret-pw'])
      expect(stdout).toMatch(/235/)
      await expect.poll(() => authed.app.outbox.counts()).toEqual([{ mailbox: 'project-a', total: 1, unread: 1 }])
      expect(JSON.stringify(authed.app.outboxSettings())).not.toContain('s3cret-pw')
    } finally {
      await authed.close()
    }
  })

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    const small = await startOutbox({ smtp: { maxSizeMB: 0.5 } })
    try {
      const body = join(small.home, 'big-body.txt')
      writeFileSync(body, 'x'.repeat(700_000))
      const result = await run('swaks', ['--server', `127.0.0.1:${small.smtpPort}`, '--from', 'a@example.test', '--to', 'b@example.test', '--body', `@${body}`]).catch((e: { stdout: string }) => e)
      expect(result.stdout).toMatch(/552/)
      expect(small.app.outbox.list().total).toBe(0)
      expect(small.app.capture.status().rejected).toBe(1)
    } finally {
      await small.close()
    }
  })
})

withPython('Python and Django against the capture server', () => {
  it('keeps the exact bytes smtplib sent, served back by GET …/raw', async () => {
    const out = await python(`
import smtplib, sys
raw = b"From: Py <py@example.test>\\r\\nTo: ada@example.test\\r\\nSubject: exact\\r\\n\\r\\n.leading dot\\r\\nline two\\r\\n"
with smtplib.SMTP("127.0.0.1", PORT) as s:
    s.sendmail("py@example.test", ["ada@example.test"], raw)
sys.stdout.write(raw.hex())`)
    const message = await newest()
    const raw = Buffer.from(await (await box.rest(`/api/v1/messages/${message.id}/raw`)).arrayBuffer())
    expect(raw.toString('hex')).toBe(out)
  })

  it('decodes iso-8859-1 and shift_jis bodies', async () => {
    await python(`
import smtplib
from email.mime.text import MIMEText
with smtplib.SMTP("127.0.0.1", PORT) as s:
    for charset, text in (("iso-8859-1", "Café, crème brûlée"), ("shift_jis", "日本語のメールです")):
        m = MIMEText(text, "plain", charset)
        m["Subject"] = charset
        m["From"] = "py@example.test"
        m["To"] = "ada@example.test"
        s.send_message(m)`)
    await expect.poll(() => box.app.outbox.list({ query: 'subject:shift_jis' }).total).toBe(1)
    const latin = box.app.outbox.list({ query: 'subject:"iso-8859-1"' }).messages[0]!
    const japanese = box.app.outbox.list({ query: 'subject:shift_jis' }).messages[0]!
    expect(((await (await box.rest(`/api/v1/messages/${latin.id}`)).json()) as { text: string }).text.trim()).toBe('Café, crème brûlée')
    expect(((await (await box.rest(`/api/v1/messages/${japanese.id}`)).json()) as { text: string }).text.trim()).toBe('日本語のメールです')
  })

  it("receives Django's own SMTP backend: HTML alternative and an attachment with a non-ASCII name", async () => {
    await python(`
from django.conf import settings
settings.configure(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=PORT)
from django.core.mail import EmailMultiAlternatives
m = EmailMultiAlternatives("Réinitialisation du mot de passe", "Voici le lien", "Site <noreply@example.test>", ["zoë@example.test"], bcc=["audit@example.test"])
m.attach_alternative("<p>Voici le <a href='https://example.test/reset'>lien</a></p>", "text/html")
m.attach("reçu-№1.txt", "contenu", "text/plain")
assert m.send() == 1`)
    const message = await newest()
    expect(message.subject).toBe('Réinitialisation du mot de passe')
    expect(message.html).toContain('https://example.test/reset')
    expect(message.attachmentList.map((a) => a.filename)).toEqual(['reçu-№1.txt'])
    const summary = box.app.outbox.get(message.id)
    expect(summary.envelopeTo).toContain('audit@example.test')
    expect(box.app.outbox.list({ query: 'to:audit@example.test' }).messages[0]?.id).toBe(message.id)
  })

  it('takes a 20 MB attachment whole', async () => {
    await python(`
import smtplib, os
from email.message import EmailMessage
m = EmailMessage()
m["Subject"] = "big"
m["From"] = "py@example.test"
m["To"] = "ada@example.test"
m.set_content("see attachment")
m.add_attachment(os.urandom(20 * 1024 * 1024), maintype="application", subtype="octet-stream", filename="données.bin")
with smtplib.SMTP("127.0.0.1", PORT) as s:
    s.send_message(m)`)
    const message = await newest()
    expect(message.subject).toBe('big')
    expect(message.attachmentList).toEqual([expect.objectContaining({ filename: 'données.bin', size: 20 * 1024 * 1024 })])
  })

  it('stores malformed mail raw with a warning and keeps serving', async () => {
    await python(`
import smtplib
broken = [
  b"no headers here, just text\\r\\n",
  b"Subject: =?x-unknown-charset?Q?caf=E9?=\\r\\nContent-Type: text/plain; charset=x-unknown\\r\\n\\r\\ncaf\\xe9\\r\\n",
  b"Subject: bad mime\\r\\nContent-Type: multipart/mixed; boundary=\\"zzz\\"\\r\\n\\r\\n--zzz\\r\\nContent-Type: text/plain\\r\\n\\r\\nunterminated part\\r\\n",
]
with smtplib.SMTP("127.0.0.1", PORT) as s:
    for raw in broken:
        s.sendmail("py@example.test", ["ada@example.test"], raw)
    s.sendmail("py@example.test", ["ada@example.test"], b"Subject: after the broken ones\\r\\n\\r\\nfine\\r\\n")`)
    await expect.poll(() => box.app.outbox.list({ query: 'subject:"after the broken ones"' }).total).toBe(1)
    const recent = box.app.outbox.list({ limit: 4 }).messages
    expect(recent).toHaveLength(4)
    expect(recent[3]!.parseWarning).toMatch(/no From header|no headers/)
    expect(box.app.outbox.raw(recent[3]!.id).toString()).toContain('no headers here')
    expect(box.app.outbox.raw(recent[2]!.id).includes(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe(true)
  })
})
