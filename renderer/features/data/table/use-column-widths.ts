import { useState } from 'react'
import { fitWidth, spreadWidths } from '../../../components/virtual-table/fit-width'
import { cellFonts, sampleText, type CellFonts } from '../cells/cell-width'
import type { GridColumn } from './grid-model'

const MAX_AUTO = 420
const MAX_FIT = 900
/** Padding, the key and link icons, the sort mark and the resize handle around a header's text. */
const HEADER_EXTRA = 44
const SAMPLE_ROWS = 200

function natural(column: GridColumn, samples: readonly unknown[], max: number, f: CellFonts = cellFonts()): number {
  return fitWidth({
    header: `${column.name} ${column.type.toLowerCase()}`,
    headerFont: f.header,
    samples: samples.map(sampleText),
    cellFont: f.cell,
    extra: 18,
    min: 56,
    max,
  }) + (column.primaryKey > 0 || column.references ? 14 : 0) + HEADER_EXTRA / 2
}

/**
 * Widths fitted to the first rows once (so they do not jump as pages load or the sort changes), spread
 * over spare room to the columns that were cut, and any the user dragged; double-clicking a column's edge
 * fits it to the rows loaded now.
 */
export function useColumnWidths(columns: readonly GridColumn[], rows: readonly (readonly unknown[])[], room: number, ready: boolean) {
  const key = columns.map((c) => `${c.name}:${c.type}`).join('\u0000')
  const [fitted, setFitted] = useState<{ key: string; natural: number[]; widths: number[] } | null>(null)
  const [resized, setResized] = useState<Record<string, number>>({})
  if (ready && fitted?.key !== key) {
    const sample = rows.slice(0, SAMPLE_ROWS)
    const f = cellFonts()
    const full = columns.map((c, i) => natural(c, sample.map((r) => r[i]), MAX_FIT, f))
    setFitted({ key, natural: full, widths: full.map((w) => Math.min(w, MAX_AUTO)) })
  }
  const base = fitted?.key === key ? spreadWidths(fitted.widths, fitted.natural, Math.max(0, room)) : columns.map(() => 140)
  const widths = columns.map((c, i) => resized[c.name] ?? base[i] ?? 140)
  return {
    widths,
    resize: (col: number, width: number) => {
      const name = columns[col]?.name
      if (name !== undefined) setResized((current) => ({ ...current, [name]: width }))
    },
    fit: (col: number) => {
      const column = columns[col]
      if (column) setResized((current) => ({ ...current, [column.name]: natural(column, rows.slice(0, 1000).map((r) => r[col]), MAX_FIT) }))
    },
  }
}
