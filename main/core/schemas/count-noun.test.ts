import { describe, expect, it } from 'vitest'
import { countOf } from './count-noun'

describe('countOf', () => {
  it('puts the noun in the number the count asks for', () => {
    expect(countOf(1, 'key')).toBe('1 key')
    expect(countOf(0, 'key')).toBe('0 keys')
    expect(countOf(2, 'entry')).toBe('2 entries')
    expect(countOf(1, 'entry')).toBe('1 entry')
    expect(countOf(3, 'alias')).toBe('3 aliases')
    expect(countOf(2, 'day')).toBe('2 days')
    expect(countOf(1, 'table or view', 'tables and views')).toBe('1 table or view')
    expect(countOf(4, 'table or view', 'tables and views')).toBe('4 tables and views')
    expect(countOf(12345, 'user')).toBe('12,345 users')
  })
})
