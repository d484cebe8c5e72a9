import { describe, expect, it } from 'vitest'
import { keepPresent, moveFocus, NOTHING_SELECTED, pick, selectAll } from './selection'

const order = ['a', 'b', 'c', 'd', 'e']
const selected = (s: { selected: ReadonlySet<string> }) => [...s.selected].sort()

describe('selecting entries', () => {
  it('selects one with a click, replacing what was selected', () => {
    const one = pick(pick(NOTHING_SELECTED, 'a', order), 'c', order)
    expect(selected(one)).toEqual(['c'])
    expect(one.anchor).toBe('c')
  })

  it('toggles with Ctrl/Cmd-click and keeps the others', () => {
    let s = pick(NOTHING_SELECTED, 'a', order)
    s = pick(s, 'c', order, { toggle: true })
    expect(selected(s)).toEqual(['a', 'c'])
    s = pick(s, 'a', order, { toggle: true })
    expect(selected(s)).toEqual(['c'])
  })

  it('selects the range from the anchor with Shift-click, either direction', () => {
    let s = pick(NOTHING_SELECTED, 'b', order)
    s = pick(s, 'd', order, { range: true })
    expect(selected(s)).toEqual(['b', 'c', 'd'])
    // The anchor stays: a second Shift-click re-spans from b.
    s = pick(s, 'a', order, { range: true })
    expect(selected(s)).toEqual(['a', 'b'])
  })

  it('adds a range to the selection with Ctrl+Shift', () => {
    let s = pick(NOTHING_SELECTED, 'a', order)
    s = pick(s, 'd', order, { toggle: true })
    s = pick(s, 'e', order, { range: true, toggle: true })
    expect(selected(s)).toEqual(['a', 'd', 'e'])
  })

  it('moves with the arrows, clamped at the ends, and extends with Shift', () => {
    let s = moveFocus(NOTHING_SELECTED, order, 1, false)
    expect(s.focus).toBe('a')
    s = moveFocus(s, order, 1, false)
    expect(selected(s)).toEqual(['b'])
    s = moveFocus(s, order, 2, true)
    expect(selected(s)).toEqual(['b', 'c', 'd'])
    s = moveFocus(s, order, 99, false)
    expect(s.focus).toBe('e')
    expect(moveFocus(s, order, 'first', false).focus).toBe('a')
    expect(moveFocus(NOTHING_SELECTED, order, -1, false).focus).toBe('e')
  })

  it('selects everything with Ctrl/Cmd-A', () => {
    expect(selected(selectAll(order))).toEqual(order)
  })

  it('forgets names that are no longer listed, and keeps the same object when nothing changed', () => {
    const s = pick(pick(NOTHING_SELECTED, 'a', order), 'c', order, { toggle: true })
    expect(selected(keepPresent(s, ['c', 'd']))).toEqual(['c'])
    expect(keepPresent(s, ['c', 'd']).anchor).toBe('c')
    expect(keepPresent(s, order)).toBe(s)
  })
})
