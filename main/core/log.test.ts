import { afterEach, describe, expect, it, vi } from 'vitest'
import { createLogger, MAX_LOG_MESSAGE, type LogRecord } from './log'
import { forgetSecret, MASK, rememberSecret } from './redact'

/** A logger whose records are kept, the way a log file would receive them. */
function recording(): { log: ReturnType<typeof createLogger>; records: LogRecord[] } {
  const records: LogRecord[] = []
  return { log: createLogger('test', { level: 'debug', sink: (r) => records.push(r) }), records }
}

const SECRET = 'hunter2-correct-horse'
afterEach(() => forgetSecret(SECRET))

describe('a log record', () => {
  it('is one line whatever the message holds: line breaks and control characters come out as escapes', () => {
    const { log, records } = recording()
    log.warn('first\nFORGED 2030-01-01 error [api] fake line\r\nnul:\u0000 bell:\u0007 esc:\u001b[31m del:\u007f tab:\t sep:\u2028')
    const { message } = records[0]!
    // eslint-disable-next-line no-control-regex -- no control character may reach the sink
    expect(message).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/)
    expect(message).toBe('first\\nFORGED 2030-01-01 error [api] fake line\\r\\nnul:\\u0000 bell:\\u0007 esc:\\u001b[31m del:\\u007f tab:\\t sep:\\u2028')
  })

  it('escapes a scope too, so a child logger named by input cannot break the line', () => {
    const { log, records } = recording()
    log.child('alias\nwith break').info('hello')
    expect(records[0]).toMatchObject({ scope: 'test:alias\\nwith break', message: 'hello', level: 'info' })
  })

  it('is written to stderr as exactly one line by default', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      createLogger('test').error('one\ntwo\rthree\u0000')
      expect(write).toHaveBeenCalledTimes(1)
      const line = String(write.mock.calls[0]![0])
      expect(line.endsWith('\n')).toBe(true)
      expect(line.slice(0, -1)).not.toMatch(/[\n\r\u0000]/) // eslint-disable-line no-control-regex
      expect(line).toContain('one\\ntwo\\rthree\\u0000')
    } finally {
      write.mockRestore()
    }
  })

  it('cuts a 1 MB message to about MAX_LOG_MESSAGE characters, saying how much was cut', () => {
    const { log, records } = recording()
    log.info('x'.repeat(1024 * 1024))
    const { message } = records[0]!
    expect(message.length).toBeGreaterThanOrEqual(MAX_LOG_MESSAGE)
    expect(message.length).toBeLessThan(MAX_LOG_MESSAGE + 100)
    expect(message).toContain(`${1024 * 1024 - MAX_LOG_MESSAGE} more characters`)
    expect(message.startsWith('x'.repeat(MAX_LOG_MESSAGE))).toBe(true)
  })

  it('leaves a message of exactly MAX_LOG_MESSAGE characters whole', () => {
    const { log, records } = recording()
    log.info('y'.repeat(MAX_LOG_MESSAGE))
    expect(records[0]!.message).toBe('y'.repeat(MAX_LOG_MESSAGE))
  })

  it('never carries a remembered secret to the sink', () => {
    rememberSecret(SECRET)
    const { log, records } = recording()
    log.error(`login failed with password ${SECRET} for user bob`)
    log.info(`${SECRET}${SECRET}`)
    log.child('pool').warn(`retrying with ${SECRET.toUpperCase()} and ${SECRET}`)
    expect(records.map((r) => r.message)).toEqual([`login failed with password ${MASK} for user bob`, `${MASK}${MASK}`, `retrying with ${SECRET.toUpperCase()} and ${MASK}`])
    expect(JSON.stringify(records)).not.toContain(SECRET)
  })

  it('masks the password of a URL in a message', () => {
    const { log, records } = recording()
    log.warn('connecting to redis://cache:s3cret-pw@10.0.0.5:6379/0 failed')
    expect(records[0]!.message).toBe(`connecting to redis://cache:${MASK}@10.0.0.5:6379/0 failed`)
  })

  it('masks a secret that straddles the cut, not just the part before it', () => {
    rememberSecret(SECRET)
    const { log, records } = recording()
    log.info('x'.repeat(MAX_LOG_MESSAGE - 5) + SECRET + 'x'.repeat(100))
    expect(records[0]!.message).not.toContain(SECRET.slice(0, 5))
  })

  it('drops records below the level', () => {
    const records: LogRecord[] = []
    const log = createLogger('test', { level: 'warn', sink: (r) => records.push(r) })
    log.debug('no')
    log.info('no')
    log.warn('yes')
    log.child('c').error('yes too')
    expect(records.map((r) => r.message)).toEqual(['yes', 'yes too'])
  })

  it('stays within the limit when escapes make the text longer, and never cuts a character in half', () => {
    const { log, records } = recording()
    log.warn('\u0000'.repeat(1_000_000))
    expect(records[0]!.message.length).toBeLessThan(MAX_LOG_MESSAGE + 60)
    expect(records[0]!.message).toMatch(/\(\d+ more characters\)$/)
    log.warn('x'.repeat(MAX_LOG_MESSAGE - 1) + '😀'.repeat(10))
    const kept = records[1]!.message.split('…')[0]!
    expect(kept.endsWith('😀')).toBe(true)
  })

  it('masks a remembered secret given as the scope of a child logger', () => {
    rememberSecret(SECRET)
    const { log, records } = recording()
    log.child(SECRET).info('hello')
    expect(records[0]!.scope).not.toContain(SECRET)
  })
})
