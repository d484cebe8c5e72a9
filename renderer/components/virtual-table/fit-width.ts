/**
 * Column widths from what a column holds, so a column is as wide as its content (up to a cap) instead
 * of a fixed guess: narrow ids stay narrow, names are not cut while the table has room.
 */

let context: CanvasRenderingContext2D | null | undefined

/** Pixels the text takes in the CSS font given (`600 12px Inter`), or an estimate where there is no canvas. */
export function textWidth(text: string, font: string): number {
  if (context === undefined) context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d')
  if (!context) return text.length * 7
  context.font = font
  return context.measureText(text).width
}

export interface FitOptions {
  /** The header's text (name and type), drawn in the header font. */
  header: string
  headerFont: string
  /** A sample of the column's cells as text; only the first line of each and the first 200 characters count. */
  samples: readonly string[]
  cellFont: string
  /** Padding, icons and the resize handle around the text. */
  extra?: number
  min?: number
  max?: number
}

export function fitWidth({ header, headerFont, samples, cellFont, extra = 20, min = 48, max = 420 }: FitOptions): number {
  let widest = textWidth(header, headerFont)
  for (const sample of samples) widest = Math.max(widest, textWidth(sample.slice(0, 200), cellFont))
  return Math.round(Math.min(max, Math.max(min, widest + extra)))
}

/** The CSS font of an element (the grid's cells), for measuring text as it will be drawn. */
export function fontOf(element: Element | null, fallback = '12px monospace'): string {
  if (!element) return fallback
  const style = getComputedStyle(element)
  return `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
}

/**
 * When the columns together are narrower than the room, the ones cut at `max` get the rest first, so
 * no value is cut beside empty space; what is still left stays empty at the right.
 */
export function spreadWidths(widths: readonly number[], natural: readonly number[], room: number): number[] {
  const total = widths.reduce((sum, w) => sum + w, 0)
  const left = room - total
  if (left <= 0) return [...widths]
  const out = [...widths]
  const wanting = out.map((w, i) => Math.max(0, (natural[i] ?? w) - w))
  const wanted = wanting.reduce((sum, w) => sum + w, 0)
  if (wanted === 0) return out
  for (let i = 0; i < out.length; i += 1) {
    const share = Math.min(wanting[i]!, Math.floor((left * wanting[i]!) / wanted))
    out[i] = out[i]! + share
  }
  return out
}
