// A custom mail engine: appends every message as one JSON line to a file, for tools that tail a log.
// Use it with  "engine": "./jsonl-mail.mjs#JsonlMail", "options": { "path": "sent.jsonl" }
// (module paths are relative to the data directory; absolute paths work too), once trusted:
//   npx backplane engines trust ./jsonl-mail.mjs#JsonlMail
// The base composes each message (and refuses one without recipients), loops over the batch and honours
// failSilently; this engine only says where a composed message goes.
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname, isAbsolute, join } from 'node:path'
import { BaseMailBackend, MailOptions, defineEngine, z } from 'backplane/engine'

const JsonlOptions = MailOptions.extend({
  path: z.string().min(1).default('sent.jsonl').describe('The file the lines are appended to; relative paths start in the data directory.'),
})

class JsonlMailBackend extends BaseMailBackend {
  constructor(options, ctx) {
    super(options, ctx)
    this.path = isAbsolute(options.path) ? options.path : join(ctx.dataDir, options.path)
  }

  async deliver({ envelope, messageId, raw, source }) {
    const { attachments = [], ...message } = source ?? {}
    const line = {
      messageId,
      envelope,
      ...message,
      attachments: attachments.map((a) => ({ filename: a.filename, size: a.content.length })),
      // A message released from the outbox has no source fields, only its bytes.
      ...(source ? {} : { size: raw.length }),
      sentAt: new Date().toISOString(),
    }
    await mkdir(dirname(this.path), { recursive: true })
    await appendFile(this.path, JSON.stringify(line) + '\n')
  }

  async serverVersion() {
    return `JSON Lines in ${this.path}`
  }
}

export const JsonlMail = defineEngine({
  kind: 'mail',
  title: 'JSON Lines file',
  description: 'Appends each message as a JSON object on its own line.',
  options: JsonlOptions,
  create: (options, ctx) => new JsonlMailBackend(options, ctx),
})
