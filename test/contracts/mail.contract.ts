import { describe, expect, it } from 'vitest'
import type { EmailMessage, MailBackend } from '../../main/backends/mail/base'

/**
 * What every mail engine must do (Django's BaseEmailBackend): count what it sent, send nothing for an
 * empty list, and honour fail_silently. `delivered` reads back what reached the engine's destination.
 * `validatesMessages: false` is for an engine that, like Django's dummy backend, looks at nothing.
 */
export function mailContract(
  name: string,
  make: (options?: Record<string, unknown>) => Promise<MailBackend>,
  delivered?: () => Promise<string[]>,
  { validatesMessages = true }: { validatesMessages?: boolean } = {},
): void {
  describe(`${name} implements the mail contract`, () => {
    const message = (n: number): EmailMessage => ({ from: 'app@example.test', to: [`user${n}@example.test`], subject: `Hello ${n} — Grüße`, text: `Body ${n}` })

    it('sends a batch and says how many went out', async () => {
      const backend = await make()
      try {
        expect(await backend.sendMessages([message(1), message(2), message(3)])).toBe(3)
        if (delivered) {
          const seen = await delivered()
          expect(seen.filter((raw) => /Hello [123]/.test(decodeSubjects(raw)))).toHaveLength(3)
        }
      } finally {
        await backend.close()
      }
    })

    it('sends nothing for an empty list', async () => {
      const backend = await make()
      try {
        expect(await backend.sendMessages([])).toBe(0)
      } finally {
        await backend.close()
      }
    })

    it.runIf(validatesMessages)('rejects a message without recipients, unless failing silently', async () => {
      const loud = await make()
      const quiet = await make({ failSilently: true })
      try {
        await expect(loud.sendMessages([{ subject: 'nobody', text: 'x' }])).rejects.toMatchObject({ code: 'E_NO_RECIPIENTS' })
        expect(await quiet.sendMessages([{ subject: 'nobody', text: 'x' }, message(4)])).toBe(1)
      } finally {
        await loud.close()
        await quiet.close()
      }
    })

    it('reports itself healthy', async () => {
      const backend = await make()
      try {
        const report = await backend.check()
        expect(report.state, JSON.stringify(report.error)).toBe('ok')
      } finally {
        await backend.close()
      }
    })
  })
}

/** RFC 2047 subjects in raw text, decoded enough to find "Hello N". */
function decodeSubjects(raw: string): string {
  return raw.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
  )
}
