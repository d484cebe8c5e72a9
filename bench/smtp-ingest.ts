import MailComposer from 'nodemailer/lib/mail-composer'
import { startChildServer } from './support/child-server'
import { smtpLoad } from './support/smtp-load'
import { round } from './support/stats'

const CONNECTIONS = 16
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const TARGET = 5000

/** A 5 KB multipart/alternative message, like a typical transactional mail. */
async function fiveKilobyteMessage(): Promise<Buffer> {
  const paragraph = 'Thank you for your order. Your items will ship within two business days; you can track them at any time. '
  const text = paragraph.repeat(20).slice(0, 2300)
  return new MailComposer({ from: 'Shop <orders@shop.example>', to: 'customer@example.test', subject: 'Your order #10234 is confirmed', text, html: `<p>${text}</p>` }).compile().build()
}

/**
 * SMTP ingest into the durable outbox (250 only after commit), beside a bare smtp-server that
 * discards everything: the same load generator, connections and message for both.
 */
export async function smtpIngest() {
  const message = await fiveKilobyteMessage()
  const bare = await startChildServer('bare-smtp-server.ts')
  const bareResult = await smtpLoad(bare.port, message, CONNECTIONS, SECONDS).finally(() => bare.stop())
  const ours = await startChildServer('capture-server.ts')
  const ourResult = await smtpLoad(ours.port, message, CONNECTIONS, SECONDS)
  const stored = JSON.parse(/RESULT (.*)/.exec(await ours.stop())?.[1] ?? '{}') as { stored?: number; indexBacklogAtEnd?: number; indexCatchUpSeconds?: number }
  return {
    name: 'smtp-ingest',
    connections: CONNECTIONS,
    seconds: SECONDS,
    messageBytes: message.length,
    backplane: { ...ourResult, ...stored },
    bareSmtpServer: bareResult,
    ratioToBare: round(ourResult.messagesPerSecond / bareResult.messagesPerSecond, 3),
    target: { messagesPerSecond: TARGET, met: ourResult.messagesPerSecond >= TARGET },
  }
}
