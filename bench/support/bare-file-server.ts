// The reference for streamed transfers: node:http with nothing of ours in between, PUT into a file and
// GET out of one under BENCH_FILE_ROOT. What Backplane's route costs above this is ours.
import { createReadStream, createWriteStream } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'

const root = process.env.BENCH_FILE_ROOT!
const server = createServer((req, res) => {
  const file = join(root, decodeURIComponent(new URL(req.url!, 'http://x').pathname).replace(/[^A-Za-z0-9._-]/g, '_'))
  const done = (status: number) => res.writeHead(status).end()
  if (req.method === 'PUT') pipeline(req, createWriteStream(file)).then(() => done(201), () => done(500))
  else pipeline(createReadStream(file), res).catch(() => res.destroy())
})
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
