import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { mailContract } from '../../../../test/contracts/mail.contract'
import { djangoSampleMessages, normalizeMessageText, sendWithDjango } from '../../../../test/support/django-mail'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import { requirePythonModule } from '../../../../test/support/services'
import type { MailBackend } from '../base'
import { DJANGO_SEPARATOR } from '../stream-backend'
import { fileEngine } from './file'

const ctx = testContext('mail', { engine: 'file' })
afterAll(() => ctx.cleanup())
const withDjango = requirePythonModule('django', 'python3-django', "the file engine against Django's file backend") ? describe : describe.skip

let folders = 0
/** A file backend writing into a fresh folder of its own. */
async function fileBackend(options: Record<string, unknown> = {}): Promise<{ backend: MailBackend; folder: string }> {
  const folder = join(ctx.dataDir, `mail-${++folders}`)
  return { backend: await createBackend<MailBackend>(fileEngine, { directory: folder, ...options }, ctx), folder }
}

function files(folder: string): string[] {
  return readdirSync(folder).sort()
}

/** The messages in a folder's files, split at Django's separator line. */
function entries(folder: string): string[] {
  return files(folder).flatMap((name) => readFileSync(join(folder, name), 'latin1').split(`\n${DJANGO_SEPARATOR}\n`).filter(Boolean))
}

let contractFolder = ''
mailContract(
  'file',
  async (options = {}) => {
    const { backend, folder } = await fileBackend(options)
    contractFolder = folder
    return backend
  },
  async () => entries(contractFolder),
)

describe('file engine, as Django\'s file backend', () => {
  it('writes one file per connection, named YYYYMMDD-HHMMSS-<id>.log, each message followed by 79 "-"', async () => {
    const { backend, folder } = await fileBackend()
    const before = new Date()
    await backend.sendMessages([{ to: ['a@example.test'], subject: 'one', text: '1' }, { to: ['b@example.test'], subject: 'two', text: '2' }])
    await backend.sendMessages([{ to: ['c@example.test'], subject: 'three', text: '3' }])
    const names = files(folder)
    expect(names).toHaveLength(2)
    for (const name of names) expect(name).toMatch(/^\d{8}-\d{6}-\d+\.log$/)
    const day = `${before.getFullYear()}${String(before.getMonth() + 1).padStart(2, '0')}${String(before.getDate()).padStart(2, '0')}`
    expect(names.some((name) => name.startsWith(day))).toBe(true)
    const contents = names.map((name) => readFileSync(join(folder, name), 'utf8'))
    const first = contents.find((c) => c.includes('Subject: one'))!
    expect(first.split(`\n${'-'.repeat(79)}\n`)).toHaveLength(3)
    expect(first.endsWith(`\n${'-'.repeat(79)}\n`)).toBe(true)
    expect(first.indexOf('Subject: one')).toBeLessThan(first.indexOf('Subject: two'))
  })

  it('keeps writing the same file while a connection is held open', async () => {
    const { backend, folder } = await fileBackend()
    expect(await backend.open()).toBe(true)
    expect(await backend.open()).toBe(false)
    await backend.sendMessages([{ to: ['a@example.test'], subject: 'one', text: '1' }])
    await backend.sendMessages([{ to: ['b@example.test'], subject: 'two', text: '2' }])
    await backend.close()
    expect(files(folder)).toHaveLength(1)
    expect(entries(folder)).toHaveLength(2)
  })

  it('never interleaves two batches sent at the same time', async () => {
    const { backend, folder } = await fileBackend()
    const batch = (tag: string) => Array.from({ length: 20 }, (_, i) => ({ to: ['a@example.test'], subject: `${tag}${i}`, text: 'x'.repeat(5000) }))
    await Promise.all([backend.sendMessages(batch('A')), backend.sendMessages(batch('B'))])
    const perFile = files(folder).map((name) => [...readFileSync(join(folder, name), 'utf8').matchAll(/^Subject: ([AB])\d+$/gm)].map((m) => m[1]))
    expect(perFile.map((tags) => new Set(tags).size)).toEqual([1, 1])
  })

  it('creates the folder when missing, and says clearly when it cannot write there', async () => {
    const deep = join(ctx.dataDir, 'deep', 'er', 'mail')
    const { backend } = await fileBackend({ directory: deep })
    expect(await backend.sendMessages([{ to: ['a@example.test'], text: 'x' }])).toBe(1)
    expect(files(deep)).toHaveLength(1)

    writeFileSync(join(ctx.dataDir, 'a-file'), '')
    const onFile = (await fileBackend({ directory: join(ctx.dataDir, 'a-file') })).backend
    await expect(onFile.sendMessages([{ to: ['a@example.test'], text: 'x' }])).rejects.toMatchObject({ code: 'E_NOT_A_DIRECTORY' })
    expect((await onFile.check()).error?.code).toBe('E_NOT_A_DIRECTORY')

    // Root may write anywhere a mode allows nothing; /proc/self refuses even root.
    let readOnly = join(ctx.dataDir, 'read-only')
    if (process.getuid?.() === 0) readOnly = '/proc/self'
    else {
      mkdirSync(readOnly)
      chmodSync(readOnly, 0o555)
    }
    const refused = (await fileBackend({ directory: readOnly })).backend
    await expect(refused.sendMessages([{ to: ['a@example.test'], text: 'x' }])).rejects.toMatchObject({ code: 'E_MAIL_FOLDER_NOT_WRITABLE', message: expect.stringContaining(readOnly) })
    expect(await (await fileBackend({ directory: readOnly, failSilently: true })).backend.sendMessages([{ to: ['a@example.test'], text: 'x' }])).toBe(0)
  })

  it('writes a released raw message with Django\'s line ends', async () => {
    const { backend, folder } = await fileBackend()
    await backend.sendRaw!(Buffer.from('Subject: raw\r\n\r\nline one\r\nline two\r\n'), { from: 'a@example.test', to: ['b@example.test'] })
    expect(readFileSync(join(folder, files(folder)[0]!), 'utf8')).toBe(`Subject: raw\n\nline one\nline two\n\n${'-'.repeat(79)}\n`)
  })
})

withDjango("file engine against Django's own file backend", () => {
  it('writes what Django writes for the same messages, but for Message-ID, Date and MIME boundaries', async () => {
    const messages = djangoSampleMessages()
    const djangoFolder = join(ctx.dataDir, 'django')
    mkdirSync(djangoFolder)
    await sendWithDjango('file', messages, djangoFolder)
    const { backend, folder } = await fileBackend()
    expect(await backend.sendMessages(messages)).toBe(messages.length)

    const [djangoFile] = files(djangoFolder)
    const [ourFile] = files(folder)
    expect(ourFile).toMatch(/^\d{8}-\d{6}-\d+\.log$/)
    expect(djangoFile).toMatch(/^\d{8}-\d{6}-\d+\.log$/)
    const theirs = readFileSync(join(djangoFolder, djangoFile!), 'latin1')
    const ours = readFileSync(join(folder, ourFile!), 'latin1')
    // Something to compare: every message, with its encoded words, folds and parts, is there.
    expect(theirs.split(`\n${DJANGO_SEPARATOR}\n`)).toHaveLength(messages.length + 1)
    expect(theirs).toContain('=?utf-8?')
    expect(theirs).toContain('Content-Transfer-Encoding: quoted-printable')
    expect(normalizeMessageText(ours)).toBe(normalizeMessageText(theirs))
    rmSync(djangoFolder, { recursive: true })
  })
})
