import assert from 'node:assert/strict'
import { ErrorCode } from '../../core/errors'
import type { EmailMessage, MailBackend } from '../mail/base'
import { assertHealthy } from './health'
import { rejectsWithCode, using, type ContractSuite } from './harness'

export interface MailFixture {
  /** A fresh backend; options are the alias's raw options (failSilently…). */
  make(options?: Record<string, unknown>): Promise<MailBackend>
  /** Reads back what reached the engine's destination, one raw message each; without it that case is skipped. */
  delivered?(): Promise<string[]>
  /** false for an engine that, like Django's dummy backend, looks at nothing it is given. */
  validatesMessages?: boolean
  afterEach?(): Promise<void>
}

const message = (n: number, tag = ''): EmailMessage => ({ from: 'app@example.test', to: [`user${n}@example.test`], subject: `Hello ${n}${tag} — Grüße`, text: `Body ${n}` })

/** Django's BaseEmailBackend: count what was sent, send nothing for an empty list, honour fail_silently. */
export const mailSuite: ContractSuite<MailFixture> = {
  kind: 'mail',
  cases: [
    {
      name: 'sends a batch and says how many went out',
      run: (f) => using(f.make(), async (backend) => assert.equal(await backend.sendMessages([message(1), message(2), message(3)]), 3)),
    },
    {
      name: 'delivers what it sends, read back from its destination',
      run: async (f, t) => {
        if (!f.delivered) t.skip('there is no way to read back what this engine delivered (the suite does not know its destination)')
        // A tag of this run tells these three apart from whatever the destination already holds.
        const tag = ` #${Math.random().toString(36).slice(2, 10)}`
        await using(f.make(), async (backend) => {
          await backend.sendMessages([message(1, tag), message(2, tag), message(3, tag)])
          const seen = await f.delivered!()
          assert.equal(seen.filter((raw) => decodeSubjects(raw).includes(tag)).length, 3, `expected the three messages tagged "${tag}" among ${seen.length} delivered`)
        })
      },
    },
    {
      name: 'sends nothing for an empty list',
      run: (f) => using(f.make(), async (backend) => assert.equal(await backend.sendMessages([]), 0)),
    },
    {
      name: 'rejects a message without recipients, unless failing silently',
      run: async (f, t) => {
        if (f.validatesMessages === false) t.skip('the engine looks at nothing it is given, as Django\'s dummy backend')
        await using(f.make(), (loud) => rejectsWithCode(loud.sendMessages([{ subject: 'nobody', text: 'x' }]), ErrorCode.E_NO_RECIPIENTS, 'sendMessages() of a message without recipients'))
        await using(f.make({ failSilently: true }), async (quiet) => assert.equal(await quiet.sendMessages([{ subject: 'nobody', text: 'x' }, message(4)]), 1))
      },
    },
    {
      name: 'reports itself healthy',
      run: (f) => using(f.make(), async (backend) => void assertHealthy(await backend.check())),
    },
  ],
}

/** RFC 2047 subjects in raw text, decoded enough to find "Hello N". */
function decodeSubjects(raw: string): string {
  return raw.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
  )
}
