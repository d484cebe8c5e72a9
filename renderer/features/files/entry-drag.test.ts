import { describe, expect, it } from 'vitest'
import { canDropInto, draggedNames, dropKind } from './entry-drag'
import { NOTHING_SELECTED, pick } from './selection'

const order = ['docs', 'docs/a.txt', 'img', 'b.txt']

describe('dragging entries onto a folder', () => {
  it('carries the selection when the dragged entry is in it, and the entry alone when it is not', () => {
    const both = pick(pick(NOTHING_SELECTED, 'img', order), 'b.txt', order, { toggle: true })
    expect(draggedNames('b.txt', both).sort()).toEqual(['b.txt', 'img'])
    expect(draggedNames('docs', both)).toEqual(['docs'])
  })

  it('drops into another folder of the same alias', () => {
    expect(canDropInto({ alias: 'media', names: ['b.txt', 'img'] }, 'media', 'docs')).toBe(true)
    // Up to the top, through the breadcrumbs.
    expect(canDropInto({ alias: 'media', names: ['docs/a.txt'] }, 'media', '')).toBe(true)
  })

  it('refuses a folder into itself or below itself', () => {
    expect(canDropInto({ alias: 'media', names: ['docs'] }, 'media', 'docs')).toBe(false)
    expect(canDropInto({ alias: 'media', names: ['b.txt', 'docs'] }, 'media', 'docs/deep')).toBe(false)
    // A sibling whose name starts the same is not below it.
    expect(canDropInto({ alias: 'media', names: ['doc'] }, 'media', 'docs')).toBe(true)
  })

  it('refuses where they all are already, another alias, and nothing', () => {
    expect(canDropInto({ alias: 'media', names: ['b.txt', 'img'] }, 'media', '')).toBe(false)
    expect(canDropInto({ alias: 'media', names: ['b.txt', 'docs/a.txt'] }, 'media', '')).toBe(true)
    expect(canDropInto({ alias: 'media', names: ['b.txt'] }, 'backups', 'docs')).toBe(false)
    expect(canDropInto({ alias: 'media', names: [] }, 'media', 'docs')).toBe(false)
  })

  it('copies with Alt or Ctrl held, and moves otherwise', () => {
    expect(dropKind({ altKey: false, ctrlKey: false })).toBe('move')
    expect(dropKind({ altKey: true, ctrlKey: false })).toBe('copy')
    expect(dropKind({ altKey: false, ctrlKey: true })).toBe('copy')
  })
})
