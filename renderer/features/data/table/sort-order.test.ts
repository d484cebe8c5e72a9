import { describe, expect, it } from 'vitest'
import { nextSort } from './sort-order'

describe('sorting by the headers', () => {
  it('cycles a column ascending, descending, off, replacing any other sort', () => {
    const asc = nextSort([{ column: 'id', descending: false }], 'name', false)
    expect(asc).toEqual([{ column: 'name', descending: false }])
    const desc = nextSort(asc, 'name', false)
    expect(desc).toEqual([{ column: 'name', descending: true }])
    expect(nextSort(desc, 'name', false)).toEqual([])
  })

  it('adds a column with Shift, keeping its place when it turns, and drops only it when it goes off', () => {
    const two = nextSort([{ column: 'last', descending: false }], 'first', true)
    expect(two).toEqual([
      { column: 'last', descending: false },
      { column: 'first', descending: false },
    ])
    const turned = nextSort(two, 'last', true)
    expect(turned).toEqual([
      { column: 'last', descending: true },
      { column: 'first', descending: false },
    ])
    expect(nextSort(turned, 'last', true)).toEqual([{ column: 'first', descending: false }])
  })
})
