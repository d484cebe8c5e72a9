// The reference: the same libraries with nothing of ours in between — node:http answering a fixed
// JSON body and a `ws` server echoing a fixed answer. What is left of our latency above this is ours.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    const body = '{"ok":true}'
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
  })
})
const sockets = new WebSocketServer({ server, path: '/events' })
sockets.on('connection', (ws) => {
  ws.on('message', (data) => {
    const { id } = JSON.parse(String(data)) as { id: number }
    ws.send(JSON.stringify({ id, result: { ok: true } }))
  })
})
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
