import { connect, type Socket } from 'node:net'
import { latencyStats, type LatencyStats } from './stats'

export interface SmtpLoadResult {
  messages: number
  seconds: number
  messagesPerSecond: number
  /** From the end of DATA (".") to the server's 250: what the sender waits for durability. */
  ackLatency: LatencyStats
  errors: number
}

/**
 * SMTP load: `connections` clients, each sending the same message back to back for `seconds`, with
 * PIPELINING (MAIL FROM, RCPT TO and DATA in one write, RFC 2920), the body sent on the 354.
 */
export async function smtpLoad(port: number, message: Buffer, connections: number, seconds: number): Promise<SmtpLoadResult> {
  const deadline = performance.now() + seconds * 1000
  const latencies: number[] = []
  let errors = 0
  const started = performance.now()
  const payload = Buffer.concat([dotStuff(message), Buffer.from('\r\n.\r\n')])
  await Promise.all(
    Array.from({ length: connections }, async (_, n) => {
      const client = await SmtpClient.open(port)
      try {
        await client.command(`EHLO load-${n}\r\n`, 1)
        while (performance.now() < deadline) {
          const replies = await client.command('MAIL FROM:<load@example.test>\r\nRCPT TO:<sink@example.test>\r\nDATA\r\n', 3)
          if (!replies[2]?.startsWith('354')) {
            errors++
            continue
          }
          const t0 = performance.now()
          const [ack] = await client.command(payload, 1)
          if (ack?.startsWith('250')) latencies.push(performance.now() - t0)
          else errors++
        }
        await client.command('QUIT\r\n', 1)
      } finally {
        client.close()
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  return { messages: latencies.length, seconds: elapsed, messagesPerSecond: Math.round(latencies.length / elapsed), ackLatency: latencyStats(latencies), errors }
}

function dotStuff(message: Buffer): Buffer {
  return Buffer.from(message.toString('latin1').replace(/\r\n\./g, '\r\n..'), 'latin1')
}

/** The least SMTP client that can pipeline: writes commands, collects complete replies in order. */
class SmtpClient {
  private buffer = ''
  private waiting: { count: number; replies: string[]; resolve: (r: string[]) => void } | undefined

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true)
    socket.on('data', (d: Buffer) => this.onData(d.toString('latin1')))
  }

  static open(port: number): Promise<SmtpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      const client = new SmtpClient(socket)
      socket.once('error', reject)
      client.waiting = { count: 1, replies: [], resolve: () => resolve(client) }
    })
  }

  command(data: string | Buffer, replies: number): Promise<string[]> {
    return new Promise((resolve) => {
      this.waiting = { count: replies, replies: [], resolve }
      this.socket.write(data)
    })
  }

  close(): void {
    this.socket.destroy()
  }

  private onData(text: string): void {
    this.buffer += text
    let end: number
    while ((end = this.buffer.indexOf('\r\n')) !== -1) {
      const line = this.buffer.slice(0, end)
      this.buffer = this.buffer.slice(end + 2)
      if (line[3] === '-') continue // a continued multi-line reply
      const w = this.waiting
      if (!w) continue
      w.replies.push(line)
      if (w.replies.length === w.count) {
        this.waiting = undefined
        w.resolve(w.replies)
      }
    }
  }
}
