import { describe, expect, it } from 'vitest'
import { describePending, summarize, toChanges, type PendingEdit } from './pending-changes'

describe('pending changes', () => {
  it('folds edits into one update per row, drops an edit back to the original, and leaves deleted rows to their delete', () => {
    const log: PendingEdit[] = [
      { op: 'set', rowId: 'k1', key: { id: 1 }, column: 'name', value: 'Ann', original: 'Anne' },
      { op: 'set', rowId: 'k1', key: { id: 1 }, column: 'age', value: 41, original: 40 },
      { op: 'set', rowId: 'k2', key: { id: 2 }, column: 'name', value: 'Bo', original: 'Bob' },
      { op: 'set', rowId: 'k2', key: { id: 2 }, column: 'name', value: 'Bob', original: 'Bob' },
      { op: 'set', rowId: 'k3', key: { id: 3 }, column: 'name', value: null, original: 'Cy' },
      { op: 'delete', rows: [{ rowId: 'k3', key: { id: 3 } }] },
      { op: 'add', rowId: 'new:1' },
      { op: 'setNew', rowId: 'new:1', column: 'name', value: 'Dee' },
    ]
    const summary = summarize(log)
    expect(toChanges(summary)).toEqual([
      { op: 'update', key: { id: 1 }, set: { name: 'Ann', age: 41 } },
      { op: 'delete', key: { id: 3 } },
      { op: 'insert', values: { name: 'Dee' } },
    ])
    expect(describePending(summary)).toBe('2 cells edited · 1 new row · 1 row deleted')
  })

  it('undoes by dropping the last step: a removed new row comes back with its values', () => {
    const log: PendingEdit[] = [
      { op: 'add', rowId: 'new:1' },
      { op: 'setNew', rowId: 'new:1', column: 'name', value: 'Dee' },
      { op: 'removeNew', rowIds: ['new:1'] },
    ]
    expect(toChanges(summarize(log))).toEqual([])
    expect(toChanges(summarize(log.slice(0, -1)))).toEqual([{ op: 'insert', values: { name: 'Dee' } }])
  })

  it('compares JSON and bytes by value, so re-typing the same JSON is no edit', () => {
    const summary = summarize([{ op: 'set', rowId: 'k', key: { id: 1 }, column: 'doc', value: { $json: { a: 1 } }, original: { $json: { a: 1 } } }])
    expect(toChanges(summary)).toEqual([])
  })
})
