// The ceiling: smtp-server with the same protocol options, discarding every message.
import { SMTPServer } from 'smtp-server'

const server = new SMTPServer({
  name: 'localhost',
  disabledCommands: ['AUTH', 'STARTTLS'],
  authOptional: true,
  disableReverseLookup: true,
  logger: false,
  size: 30 * 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined)
    stream.on('end', () => callback(null, 'Discarded'))
  },
})
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address()
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
