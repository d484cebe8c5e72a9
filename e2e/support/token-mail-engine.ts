import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * A custom mail engine with a secret (writeOnly) option, written into a data directory: no built-in
 * engine has a secret option yet, and a custom one exercises the same generated form. Its check
 * reports the token's length, never the token, so a test can tell which value is stored.
 */
export function installTokenMailEngine(home: string): string {
  const zod = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href
  writeFileSync(
    join(home, 'token-mail.mjs'),
    `import { z } from ${JSON.stringify(zod)}
export default {
  kind: 'mail',
  title: 'Token mail (E2E)',
  description: 'Sends nowhere; needs an API token.',
  options: z.object({
    endpoint: z.string().default('https://api.example.test').describe('Where messages would go.'),
    apiToken: z.string().meta({ writeOnly: true }).describe('The API token.'),
  }),
  create: (options) => ({
    async open() { return false },
    async close() {},
    async sendMessages(messages) { return messages.length },
    async check() {
      return { state: 'ok', latencyMs: 0, steps: [{ name: 'token', ok: true, ms: 0, detail: options.apiToken.length + ' characters' }], checkedAt: new Date().toISOString() }
    },
  }),
}
`,
  )
  return './token-mail.mjs'
}
