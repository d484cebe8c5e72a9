import { describe, expect, it } from 'vitest'
import { nameMatcher } from './name-match'

describe('the name filter', () => {
  it('ignores case, in every script, the Greek final sigma too', () => {
    expect(nameMatcher('report')('Annual REPORT.pdf')).toBe(true)
    expect(nameMatcher('ΠΡΟΣ')('ΠΡΟΣΦΟΡΑ 2024.pdf')).toBe(true)
    expect(nameMatcher('Σ')('ΟΔΟΣ.txt')).toBe(true)
    expect(nameMatcher('οδος')('ΟΔΟΣ.txt')).toBe(true)
  })

  it('finds a decomposed name (as a Mac writes it) by the composed text typed, and the other way round', () => {
    expect(nameMatcher('café')('cafe\u0301.txt')).toBe(true)
    expect(nameMatcher('cafe\u0301')('café.txt')).toBe(true)
  })

  it('takes the text as text: pattern characters match only themselves', () => {
    expect(nameMatcher('.*')('anything')).toBe(false)
    expect(nameMatcher('a.b')('a.b')).toBe(true)
    expect(nameMatcher('(a+)+$')('aaaaaaaaaaaaaaaaaaaaaaaa!')).toBe(false)
  })
})
