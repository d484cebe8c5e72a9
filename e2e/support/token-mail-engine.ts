import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

/**
 * A custom mail engine with a secret (writeOnly) option, written into a data directory and trusted with
 * the bundled `backplane engines trust`, as a user would: a custom one exercises the same generated form.
 * It imports zod from `backplane/engine`, which a module in the data directory can only reach through
 * the app's own loader. Its check reports the token's length, never the token, so a test can tell which
 * value is stored.
 */
export function installTokenMailEngine(home: string): string {
  writeFileSync(
    join(home, 'token-mail.mjs'),
    `import { z } from 'backplane/engine'
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
  trustEngine(home, './token-mail.mjs')
  return './token-mail.mjs'
}

/** `backplane engines trust <spec>` from the bundle, for a data directory. */
export function trustEngine(home: string, spec: string): void {
  execFileSync(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'engines', 'trust', spec], { env: { ...process.env, BACKPLANE_HOME: home }, encoding: 'utf8' })
}
