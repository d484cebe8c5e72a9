import type { KeyboardEvent } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { handleBrowserKey, type BrowserKeyActions } from './browser-keys'
import { NOTHING_SELECTED, pick, type Selection } from './selection'

const order = ['a', 'b', 'c', 'd', 'e', 'f', 'g']

function press(key: string, selection: Selection, { grid = false, columns = 1, ...modifiers }: { grid?: boolean; columns?: number; shiftKey?: boolean; ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean } = {}) {
  const actions: BrowserKeyActions = { order, selection, columns, grid, setSelection: vi.fn(), open: vi.fn(), goUp: vi.fn(), remove: vi.fn(), rename: vi.fn(), menu: vi.fn() }
  const event = { key, target: null, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...modifiers, preventDefault: vi.fn() }
  handleBrowserKey(event as unknown as KeyboardEvent<HTMLElement>, actions)
  const next = vi.mocked(actions.setSelection).mock.calls[0]?.[0]
  return { actions, event, focus: next?.focus, selected: next && [...next.selected].sort() }
}

const at = (key: string) => pick(NOTHING_SELECTED, key, order)

describe('the file browser keys', () => {
  it('moves by one in the list and by a row in the grid', () => {
    expect(press('ArrowDown', at('b')).focus).toBe('c')
    expect(press('ArrowDown', at('b'), { grid: true, columns: 3 }).focus).toBe('e')
    expect(press('ArrowRight', at('b'), { grid: true, columns: 3 }).focus).toBe('c')
    // Left and right mean nothing in the list: the key is left to the page.
    const unused = press('ArrowRight', at('b'))
    expect(unused.focus).toBeUndefined()
    expect(unused.event.preventDefault).not.toHaveBeenCalled()
  })

  it('extends the selection with Shift', () => {
    expect(press('ArrowDown', at('b'), { shiftKey: true }).selected).toEqual(['b', 'c'])
    expect(press('End', at('e'), { shiftKey: true }).selected).toEqual(['e', 'f', 'g'])
  })

  it('opens with Enter, goes up with Backspace and Alt+↑, renames with F2, deletes the selection with Delete', () => {
    expect(press('Enter', at('c')).actions.open).toHaveBeenCalledWith('c')
    expect(press('Backspace', at('c')).actions.goUp).toHaveBeenCalled()
    const altUp = press('ArrowUp', at('c'), { altKey: true })
    expect(altUp.actions.goUp).toHaveBeenCalled()
    expect(altUp.focus).toBeUndefined()
    expect(press('F2', at('c')).actions.rename).toHaveBeenCalledWith('c')
    const two = pick(at('a'), 'c', order, { toggle: true })
    expect(press('Delete', two).actions.remove).toHaveBeenCalledWith(['a', 'c'])
    expect(press('Delete', NOTHING_SELECTED).actions.remove).not.toHaveBeenCalled()
  })

  it('selects everything with Ctrl+A or Cmd+A, and leaves other Ctrl keys to the browser', () => {
    expect(press('a', at('c'), { ctrlKey: true }).selected).toEqual(order)
    expect(press('a', at('c'), { metaKey: true }).selected).toEqual(order)
    const reload = press('ArrowDown', at('c'), { ctrlKey: true })
    expect(reload.focus).toBeUndefined()
    expect(reload.event.preventDefault).not.toHaveBeenCalled()
  })

  it('opens the actions menu with Shift+F10 or the menu key', () => {
    expect(press('F10', at('d'), { shiftKey: true }).actions.menu).toHaveBeenCalledWith('d')
    expect(press('ContextMenu', at('d')).actions.menu).toHaveBeenCalledWith('d')
    expect(press('F10', at('d')).actions.menu).not.toHaveBeenCalled()
  })
})
