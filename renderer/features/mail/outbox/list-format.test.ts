import { describe, expect, it } from 'vitest'
import { captureSnippets, connectHost, splitAddress } from './capture-snippets'
import { formatTotal, shortAddress, shortAddresses } from './list-format'

describe('the outbox list', () => {
  it('says when the total stopped counting', () => {
    expect(formatTotal(1, true)).toBe('1 message')
    expect(formatTotal(1234, true)).toBe('1,234 messages')
    expect(formatTotal(1000, false)).toBe('1,000+ messages')
  })

  it('shows display names where there are some, addresses otherwise', () => {
    expect(shortAddress('Ada Lovelace <ada@example.test>')).toBe('Ada Lovelace')
    expect(shortAddress('"Lovelace, Ada" <ada@example.test>')).toBe('Lovelace, Ada')
    expect(shortAddress('<ada@example.test>')).toBe('ada@example.test')
    expect(shortAddress('ada@example.test')).toBe('ada@example.test')
    expect(shortAddresses(['Ada <a@x.test>', 'b@x.test'])).toBe('Ada, b@x.test')
  })
})

describe('pointing an application at the capture server', () => {
  it('uses loopback for a server on every interface', () => {
    expect(connectHost('0.0.0.0')).toBe('127.0.0.1')
    expect(connectHost('::')).toBe('127.0.0.1')
    expect(connectHost('127.0.0.1')).toBe('127.0.0.1')
    expect(connectHost('::1')).toBe('[::1]')
  })

  it('writes the URL and the Django and nodemailer settings with the real port', () => {
    const snippets = captureSnippets('127.0.0.1', 2525)
    expect(snippets.url).toBe('smtp://127.0.0.1:2525')
    expect(snippets.django).toContain('EMAIL_HOST = "127.0.0.1"')
    expect(snippets.django).toContain('EMAIL_PORT = 2525')
    expect(snippets.nodemailer).toContain('port: 2525,')
    expect(captureSnippets('[::1]', 25).django).toContain('EMAIL_HOST = "::1"')
  })

  it('splits the status address', () => {
    expect(splitAddress('127.0.0.1:1025')).toEqual({ host: '127.0.0.1', port: 1025 })
    expect(splitAddress('::1:1025')).toEqual({ host: '::1', port: 1025 })
  })
})
