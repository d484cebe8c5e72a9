import { describe, expect, it } from 'vitest'
import { redisError } from './redis-errors'

const SERVER = 'redis://127.0.0.1:6390/0'
const socketError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe('what a Redis server that went away is called', () => {
  // ioredis rejects the command with "Connection is closed."; why it closed is the socket's last error.
  it.each([
    ['ECONNRESET', 'read ECONNRESET'],
    ['EPIPE', 'write EPIPE'],
    ['ECONNABORTED', 'write ECONNABORTED'],
  ])('a connection closed after %s is E_CONNECTION_RESET, with a hint', (code, message) => {
    const error = redisError(new Error('Connection is closed.'), SERVER, socketError(code, message))
    expect(error.code).toBe('E_CONNECTION_RESET')
    expect(error.hint).toEqual(expect.any(String))
  })

  it('a connection closed after a socket error of no known kind is still a closed connection, not an engine failure', () => {
    const error = redisError(new Error('Connection is closed.'), SERVER, socketError('ERR_STREAM_WRITE_AFTER_END', 'write after end'))
    expect(error.code).toBe('E_CONNECTION_RESET')
  })

  it('a refused reconnect is E_CONNECTION_REFUSED', () => {
    expect(redisError(new Error('Connection is closed.'), SERVER, socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6390')).code).toBe('E_CONNECTION_REFUSED')
  })
})
