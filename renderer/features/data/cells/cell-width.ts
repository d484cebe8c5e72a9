import { BYTES_SHOWN, formatCell, isBytesCell } from './cell-value'

/** The fonts of a grid's header and cells (xs text), for measuring a column's content as it is drawn. */
export function cellFonts() {
  const root = getComputedStyle(document.documentElement)
  const sans = root.getPropertyValue('--mantine-font-family').trim() || 'sans-serif'
  const mono = root.getPropertyValue('--mantine-font-family-monospace').trim() || 'monospace'
  return { header: `600 12px ${sans}`, type: `400 10px ${sans}`, cell: `400 12px ${mono}` }
}

export type CellFonts = ReturnType<typeof cellFonts>

/** A cell as the text whose width it takes in a grid: the NULL badge and a bytes cell's size badge are a little wider than their text. */
export function sampleText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL··'
  const text = formatCell(value)
  return isBytesCell(value) ? `${text.slice(0, 2 + 2 * BYTES_SHOWN)}… 64 KiB` : text
}
