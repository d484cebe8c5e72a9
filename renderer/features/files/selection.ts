/**
 * Which entries are selected, as file managers do it: a click selects one, Ctrl/Cmd-click toggles one,
 * Shift-click selects the range from the anchor (the last plain or toggling click), the arrows move the
 * focus (with Shift, extending from the anchor). Keys are entry names; `order` is what is on screen.
 */
export interface Selection {
  selected: ReadonlySet<string>
  anchor: string | null
  focus: string | null
}

export const NOTHING_SELECTED: Selection = { selected: new Set(), anchor: null, focus: null }

export interface PickModifiers {
  /** Shift: a range from the anchor. */
  range?: boolean
  /** Ctrl or Cmd: add or remove one. */
  toggle?: boolean
}

function rangeBetween(order: readonly string[], from: string | null, to: string): string[] {
  const end = order.indexOf(to)
  const start = from === null ? -1 : order.indexOf(from)
  if (start === -1 || end === -1) return [to]
  return order.slice(Math.min(start, end), Math.max(start, end) + 1)
}

export function pick(selection: Selection, key: string, order: readonly string[], { range = false, toggle = false }: PickModifiers = {}): Selection {
  if (range) {
    const span = rangeBetween(order, selection.anchor, key)
    // Ctrl+Shift adds the range to what was selected; Shift alone replaces it.
    const selected = new Set(toggle ? [...selection.selected, ...span] : span)
    return { selected, anchor: selection.anchor ?? key, focus: key }
  }
  if (toggle) {
    const selected = new Set(selection.selected)
    if (selected.has(key)) selected.delete(key)
    else selected.add(key)
    return { selected, anchor: key, focus: key }
  }
  return { selected: new Set([key]), anchor: key, focus: key }
}

/** The arrows: the focus goes `by` places (clamped); the selection follows it, or grows from the anchor with Shift. */
export function moveFocus(selection: Selection, order: readonly string[], by: number | 'first' | 'last', extend: boolean): Selection {
  if (order.length === 0) return selection
  const at = selection.focus === null ? -1 : order.indexOf(selection.focus)
  const target = by === 'first' ? 0 : by === 'last' ? order.length - 1 : at === -1 ? (by > 0 ? 0 : order.length - 1) : Math.max(0, Math.min(order.length - 1, at + by))
  const key = order[target] as string
  return extend ? pick(selection, key, order, { range: true }) : pick(selection, key, order)
}

export function selectAll(order: readonly string[]): Selection {
  return { selected: new Set(order), anchor: order[0] ?? null, focus: order.at(-1) ?? null }
}

/** What is still there after the listing changed (a delete, a filter): names that vanished drop out. */
export function keepPresent(selection: Selection, order: readonly string[]): Selection {
  const present = new Set(order)
  const selected = [...selection.selected].filter((key) => present.has(key))
  const focus = selection.focus !== null && present.has(selection.focus) ? selection.focus : null
  const anchor = selection.anchor !== null && present.has(selection.anchor) ? selection.anchor : null
  if (selected.length === selection.selected.size && focus === selection.focus && anchor === selection.anchor) return selection
  return { selected: new Set(selected), anchor, focus }
}
