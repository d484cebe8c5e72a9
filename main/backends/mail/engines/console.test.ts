import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { mailContract } from '../../../../test/contracts/mail.contract'
import { djangoSampleMessages, normalizeMessageText, sendWithDjango } from '../../../../test/support/django-mail'
import { testContext } from '../../../../test/support/engine-context'
import { requirePythonModule } from '../../../../test/support/services'
import { DJANGO_SEPARATOR } from '../stream-backend'
import { ConsoleMailBackend, consoleEngine } from './console'

const run = promisify(execFile)
const ctx = testContext('mail', { engine: 'console' })
afterAll(() => ctx.cleanup())
const withDjango = requirePythonModule('django', 'python3-django', "the console engine against Django's console backend") ? describe : describe.skip

/** A console backend writing into a stream the test reads. */
function captured(options: Record<string, unknown> = {}): { backend: ConsoleMailBackend; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  const backend = new ConsoleMailBackend(consoleEngine.options.parse(options), ctx, stream)
  return { backend, text: () => Buffer.concat(chunks).toString('latin1') }
}

let current: ReturnType<typeof captured> | undefined
mailContract(
  'console',
  async (options = {}) => {
    current = captured(options)
    return current.backend
  },
  async () => (current?.text() ?? '').split(`\n${DJANGO_SEPARATOR}\n`).filter(Boolean),
)

/** Runs the engine in a process of its own, as `backplane serve` would, and returns what it printed. */
async function sendInChild(stream: 'stdout' | 'stderr'): Promise<{ stdout: string; stderr: string }> {
  const script = `
    import { consoleEngine } from ${JSON.stringify(pathToFileURL(join(__dirname, 'console.ts')).href)}
    import { createBackend, testContext } from ${JSON.stringify(pathToFileURL(join(__dirname, '../../../../test/support/engine-context.ts')).href)}
    const ctx = testContext('mail')
    const backend = await createBackend(consoleEngine, { stream: ${JSON.stringify(stream)} }, ctx)
    const sent = await backend.sendMessages([{ from: 'app@example.test', to: ['a@example.test'], subject: 'First', text: 'one' }, { to: ['b@example.test'], subject: 'Second', text: 'two' }])
    ctx.cleanup()
    if (sent !== 2) process.exit(3)
  `
  return run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd() })
}

describe("console engine, as Django's console backend", () => {
  it('prints each message to stdout, followed by a line of 79 "-"', async () => {
    const { stdout, stderr } = await sendInChild('stdout')
    const parts = stdout.split(`\n${'-'.repeat(79)}\n`)
    expect(parts).toHaveLength(3)
    expect(parts[0]).toMatch(/^Content-Type: text\/plain; charset="utf-8"\n/)
    expect(parts[0]).toMatch(/^Subject: First$/m)
    expect(parts[0]).toMatch(/\n\none$/)
    expect(parts[1]).toMatch(/^From: webmaster@localhost$/m)
    expect(parts[2]).toBe('')
    expect(stderr).not.toContain('Subject:')
  })

  it('prints to stderr when told to', async () => {
    const { stdout, stderr } = await sendInChild('stderr')
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^Subject: Second$/m)
  })
})

withDjango("console engine against Django's own console backend", () => {
  it('prints what Django prints for the same messages, but for Message-ID, Date and MIME boundaries', async () => {
    const messages = djangoSampleMessages()
    const theirs = await sendWithDjango('console', messages)
    const { backend, text } = captured()
    expect(await backend.sendMessages(messages)).toBe(messages.length)
    expect(theirs.split(`\n${DJANGO_SEPARATOR}\n`)).toHaveLength(messages.length + 1)
    expect(normalizeMessageText(text())).toBe(normalizeMessageText(theirs))
  })
})
