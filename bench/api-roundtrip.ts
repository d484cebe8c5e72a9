import { Agent, request } from 'node:http'
import { WebSocket } from 'ws'
import { startChildServer } from './support/child-server'
import { latencyStats, round, type LatencyStats } from './support/stats'

const TOKEN = 'bench'
const WARMUP = 2_000
const SEQUENTIAL = 20_000
const CONCURRENT = 40_000
const IN_FLIGHT = 32

interface TransportResult {
  latency: LatencyStats
  callsPerSecond: number
}

/** One socket; latency with one call in flight, throughput with IN_FLIGHT pipelined. */
async function measureSocket(port: number): Promise<TransportResult> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/events?token=${TOKEN}`)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const waiting = new Map<number, () => void>()
  ws.on('message', (data) => {
    const { id } = JSON.parse(String(data)) as { id?: number }
    if (id !== undefined) waiting.get(id)?.()
  })
  let next = 0
  const call = () =>
    new Promise<void>((resolve) => {
      const id = ++next
      waiting.set(id, () => {
        waiting.delete(id)
        resolve()
      })
      ws.send(JSON.stringify({ id, method: 'system.ping', input: {} }))
    })
  const result = await measure(call)
  ws.close()
  return result
}

async function measureHttp(port: number): Promise<TransportResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT })
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/rpc/system.ping', agent, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } }, (res) => {
        res.resume()
        res.on('end', resolve)
      })
      req.on('error', reject)
      req.end('{}')
    })
  const result = await measure(call, 0.25)
  agent.destroy()
  return result
}

async function measure(call: () => Promise<void>, scale = 1): Promise<TransportResult> {
  for (let i = 0; i < WARMUP * scale; i++) await call()
  const samples: number[] = []
  for (let i = 0; i < SEQUENTIAL * scale; i++) {
    const t0 = performance.now()
    await call()
    samples.push(performance.now() - t0)
  }
  const total = CONCURRENT * scale
  let started = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (started++ < total) await call()
    }),
  )
  return { latency: latencyStats(samples), callsPerSecond: Math.round(total / ((performance.now() - t0) / 1000)) }
}

/** API round trip of a no-op method (system.ping) over WebSocket and HTTP, beside bare ws/http doing the same. */
export async function apiRoundTrip() {
  const ours = await startChildServer('api-server.ts', { BENCH_TOKEN: TOKEN })
  const reference = await startChildServer('reference-server.ts')
  try {
    const ws = await measureSocket(ours.port)
    const wsRef = await measureSocket(reference.port)
    const http = await measureHttp(ours.port)
    const httpRef = await measureHttp(reference.port)
    return {
      name: 'api-round-trip',
      method: 'system.ping',
      websocket: { backplane: ws, bareWs: wsRef, p50Ratio: round(ws.latency.p50Ms / wsRef.latency.p50Ms, 2) },
      http: { backplane: http, bareHttp: httpRef, p50Ratio: round(http.latency.p50Ms / httpRef.latency.p50Ms, 2) },
      target: { websocketP50Ms: 0.5, met: ws.latency.p50Ms < 0.5 },
    }
  } finally {
    await ours.stop()
    await reference.stop()
  }
}
