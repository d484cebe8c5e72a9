import { describe, expect, it } from 'vitest'
import { appendOperator, SEARCH_OPERATORS } from './search-operators'

describe('the search help', () => {
  it('lists every operator the outbox understands', () => {
    const examples = SEARCH_OPERATORS.map((op) => op.example).join(' ')
    for (const op of ['from:', 'to:', 'subject:', 'has:attachment', 'is:unread', 'before:', 'after:', '"']) expect(examples).toContain(op)
  })

  it('adds an operator after what is typed, with the caret ready for its value', () => {
    expect(appendOperator('', 'from:')).toEqual({ query: 'from:', caret: 5 })
    expect(appendOperator('invoice ', 'from:')).toEqual({ query: 'invoice from:', caret: 13 })
  })

  it('puts the caret inside the quotes of a phrase', () => {
    expect(appendOperator('reset', '""')).toEqual({ query: 'reset ""', caret: 7 })
  })

  it('follows a complete operator with a space and does not add it twice', () => {
    expect(appendOperator('reset', 'has:attachment')).toEqual({ query: 'reset has:attachment ', caret: 21 })
    expect(appendOperator('reset has:attachment', 'has:attachment')).toEqual({ query: 'reset has:attachment ', caret: 21 })
  })
})
