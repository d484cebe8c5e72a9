import { ActionIcon, Button, Group, Pill, Select, TextInput, Tooltip } from '@mantine/core'
import { IconFilter, IconPlus } from '@tabler/icons-react'
import { useState } from 'react'
import { editModeOf, parseTyped } from '../cells/cell-input'
import { formatCell } from '../cells/cell-value'
import type { GridColumn } from './grid-model'
import type { FilterInput, FilterOp } from './table-ref'
import classes from './filter-builder.module.css'

/** Every operator data.page takes (the Record makes the compiler check the list against the contract). */
const OPERATORS: Record<FilterOp, string> = {
  '=': '=',
  '<>': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  contains: 'contains',
  starts: 'starts with',
  ends: 'ends with',
  null: 'is NULL',
  'not null': 'is not NULL',
  in: 'in (a, b, …)',
}
const OPERATOR_OPTIONS = Object.entries(OPERATORS).map(([value, label]) => ({ value, label }))
const takesNoValue = (op: FilterOp) => op === 'null' || op === 'not null'
const takesText = (op: FilterOp) => op === 'contains' || op === 'starts' || op === 'ends'

/** Typed text as the filter's value: read like an edit of the column (numbers as numbers), a list for `in`. */
function valueOf(text: string, op: FilterOp, column: GridColumn | undefined): { ok: true; value?: unknown } | { ok: false; error: string } {
  if (takesNoValue(op)) return { ok: true }
  if (takesText(op)) return { ok: true, value: text }
  const mode = editModeOf(null, column?.type)
  const read = (part: string) => (mode === 'number' || mode === 'boolean' ? parseTyped(part, mode, column?.type) : { ok: true as const, value: part })
  if (op === 'in') {
    const values: unknown[] = []
    for (const part of text.split(',').map((p) => p.trim())) {
      const parsed = read(part)
      if (!parsed.ok) return parsed
      values.push(parsed.value)
    }
    return { ok: true, value: values }
  }
  return read(text)
}

export function filterLabel(filter: FilterInput): string {
  const op = OPERATORS[filter.op]
  if (takesNoValue(filter.op)) return `${filter.column} ${op}`
  const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : formatCell(v))
  if (filter.op === 'in') return `${filter.column} in (${(Array.isArray(filter.value) ? filter.value : [filter.value]).map(show).join(', ')})`
  return `${filter.column} ${op} ${show(filter.value)}`
}

interface FilterBuilderProps {
  columns: readonly GridColumn[]
  filters: readonly FilterInput[]
  onChange: (filters: FilterInput[]) => void
}

/** Column, operator, value; Enter adds the condition (they are ANDed), shown as chips that remove with ×. */
export function FilterBuilder({ columns, filters, onChange }: FilterBuilderProps) {
  const [column, setColumn] = useState<string | null>(columns[0]?.name ?? null)
  const [op, setOp] = useState<FilterOp>('=')
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const add = () => {
    if (!column) return
    const parsed = valueOf(text, op, columns.find((c) => c.name === column))
    if (!parsed.ok) {
      setError(parsed.error)
      return
    }
    onChange([...filters, { column, op, ...('value' in parsed ? { value: parsed.value } : {}) }])
    setText('')
    setError(null)
  }
  return (
    <Group gap={6} wrap="wrap" role="group" aria-label="Filters">
      <IconFilter size={14} color="var(--mantine-color-dimmed)" aria-hidden />
      <Select
        size="xs"
        w={150}
        aria-label="Filter column"
        data={columns.map((c) => c.name)}
        value={column}
        onChange={setColumn}
        searchable
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      <Select
        size="xs"
        w={120}
        aria-label="Filter operator"
        data={OPERATOR_OPTIONS}
        value={op}
        onChange={(value) => value && setOp(value as FilterOp)}
        allowDeselect={false}
      />
      {!takesNoValue(op) && (
        <TextInput
          size="xs"
          w={180}
          aria-label="Filter value"
          placeholder={op === 'in' ? 'a, b, c' : 'value'}
          value={text}
          error={error}
          onChange={(event) => {
            setText(event.currentTarget.value)
            setError(null)
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault()
              add()
            }
          }}
        />
      )}
      <Tooltip label="Add the condition (Enter)">
        <ActionIcon variant="default" size="md" aria-label="Add filter" onClick={add} disabled={!column}>
          <IconPlus size={14} />
        </ActionIcon>
      </Tooltip>
      {filters.map((filter, i) => (
        <Pill key={`${i}:${filterLabel(filter)}`} withRemoveButton onRemove={() => onChange(filters.filter((_, j) => j !== i))} removeButtonProps={{ 'aria-label': `Remove filter ${filterLabel(filter)}`, 'aria-hidden': false, tabIndex: 0 }} ff="monospace" aria-label={`Filter ${filterLabel(filter)}`} className={classes.filterPill}>
          {filterLabel(filter)}
        </Pill>
      ))}
      {filters.length > 1 && (
        <Button size="compact-xs" variant="subtle" onClick={() => onChange([])}>
          Clear filters
        </Button>
      )}
    </Group>
  )
}
