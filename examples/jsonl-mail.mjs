// A custom mail engine: appends every message as one JSON line to a file, for tools that tail a log.
// Use it with  "engine": "./jsonl-mail.mjs#JsonlMail", "options": { "path": "sent.jsonl" }
// (module paths are relative to the data directory; absolute paths work too).
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname, isAbsolute, join } from 'node:path'

export class JsonlMail {
  static title = 'JSON Lines file'
  static description = 'Appends each message as a JSON object on its own line.'

  /** Backplane calls `new Engine(options, ctx)`; ctx.dataDir is where relative paths start. */
  constructor(options, ctx) {
    this.ctx = ctx
    const path = typeof options.path === 'string' ? options.path : 'sent.jsonl'
    this.path = isAbsolute(path) ? path : join(ctx.dataDir, path)
    this.failSilently = options.failSilently === true
    this.lines = undefined
  }

  // Django's contract: open() returns true when this call opened the "connection".
  async open() {
    if (this.lines) return false
    this.lines = []
    return true
  }

  async close() {
    const lines = this.lines
    this.lines = undefined
    if (!lines?.length) return
    await mkdir(dirname(this.path), { recursive: true })
    await appendFile(this.path, lines.join(''))
  }

  async sendMessages(messages) {
    if (messages.length === 0) return 0
    const opened = await this.open()
    let sent = 0
    try {
      for (const message of messages) {
        const recipients = [...(message.to ?? []), ...(message.cc ?? []), ...(message.bcc ?? [])]
        if (recipients.length === 0) {
          if (this.failSilently) continue
          throw Object.assign(new Error('The message has no recipients.'), { code: 'E_NO_RECIPIENTS' })
        }
        const { attachments = [], ...rest } = message
        this.lines.push(JSON.stringify({ ...rest, attachments: attachments.map((a) => ({ filename: a.filename, size: a.content.length })), sentAt: new Date().toISOString() }) + '\n')
        sent++
      }
    } finally {
      if (opened) await this.close()
    }
    return sent
  }

  async check() {
    const started = performance.now()
    await mkdir(dirname(this.path), { recursive: true })
    return {
      kind: 'mail',
      alias: this.ctx.alias,
      engine: this.ctx.engine,
      state: 'ok',
      latencyMs: performance.now() - started,
      summary: `writes to ${this.path}`,
      steps: [{ name: 'folder', ok: true, ms: performance.now() - started, detail: dirname(this.path) }],
      checkedAt: new Date().toISOString(),
    }
  }
}
