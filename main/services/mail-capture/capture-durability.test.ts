import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import SMTPConnection from 'nodemailer/lib/smtp-connection'
import { afterAll, describe, expect, it } from 'vitest'
import { OutboxStore } from '../outbox/outbox-store'

const home = mkdtempSync(join(tmpdir(), 'backplane-durability-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

function startChild(): Promise<{ port: number; kill: () => void; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../../test/support/capture-child.ts')], {
    env: { ...process.env, BACKPLANE_HOME: home, BACKPLANE_SECRET_STORE: 'file' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return new Promise((resolvePort, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /SMTP (\d+)/.exec(out)
      if (m) resolvePort({ port: Number(m[1]), kill: () => child.kill('SIGKILL'), exited })
    })
    child.once('exit', (code) => reject(new Error(`capture child exited (${code}) before listening: ${out}`)))
  })
}

/** Sends messages one after another on one connection; calls onAck for each 250. */
function sender(port: number, tag: string, onAck: (marker: string, response: string) => boolean): Promise<void> {
  const connection = new SMTPConnection({ host: '127.0.0.1', port, ignoreTLS: true, connectionTimeout: 5000 })
  return new Promise((resolveDone) => {
    connection.on('error', () => resolveDone())
    connection.on('end', () => resolveDone())
    connection.connect(() => {
      let i = 0
      const next = () => {
        const marker = `${tag}-${i++}-${Math.random().toString(36).slice(2)}`
        const raw = `From: a@example.test\r\nTo: b@example.test\r\nSubject: ${marker}\r\n\r\n${'body '.repeat(200)}\r\n`
        connection.send({ from: 'a@example.test', to: ['b@example.test'] }, raw, (err, info) => {
          if (err) return resolveDone()
          if (onAck(marker, info.response)) next()
        })
      }
      next()
    })
  })
}

describe('durability of the capture server', () => {
  it('keeps every message acknowledged with 250 after the process is killed with SIGKILL', async () => {
    const child = await startChild()
    const acknowledged: string[] = []
    let killed = false
    const target = 300 + Math.floor(Math.random() * 200)
    const onAck = (marker: string, response: string) => {
      expect(response).toMatch(/^250 Stored as \d+/)
      acknowledged.push(marker)
      if (acknowledged.length >= target && !killed) {
        killed = true
        child.kill() // right after a 250, while the other senders are mid-transaction
      }
      return !killed
    }
    await Promise.all(Array.from({ length: 8 }, (_, n) => sender(child.port, `c${n}`, onAck)))
    await child.exited
    expect(acknowledged.length).toBeGreaterThanOrEqual(target)

    const store = new OutboxStore(join(home, 'outbox.sqlite3'))
    try {
      const stored = new Set(store.rawMessages().map((raw) => /Subject: (\S+)/.exec(raw)?.[1]))
      const lost = acknowledged.filter((m) => !stored.has(m))
      expect(lost).toEqual([])
      // Messages committed but not yet indexed when the process died are parsed at the next start.
      await expect.poll(() => store.list({ query: `subject:${acknowledged[0]!.split('-')[0]}` }).total, { timeout: 10_000 }).toBeGreaterThan(0)
    } finally {
      await store.close()
    }
  })
})
