import { ActionIcon, Group, Loader, Stack, Text, TextInput, Tooltip } from '@mantine/core'
import { IconRefresh, IconSearch, IconX } from '@tabler/icons-react'
import { useQueries, useQueryClient } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { ApiError } from '../../../api/api-error'
import { apiQueryKey, useApiClient, useApiQuery } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { tableKey, tableRefOf, type TableDetail, type TableSummary } from '../table/table-ref'
import classes from './connection-tree.module.css'
import { TreeRow } from './tree-row'
import { isExpandable, parentIndex, schemaNodeId, tableNodeId, visibleNodes, type Loaded, type TreeNode } from './tree-model'

const ROW_HEIGHT = 24

interface ConnectionTreeProps {
  alias: string
  /** The table of the tab shown, drawn in bold. */
  openTable: string | null
  onOpenTable: (table: TableSummary) => void
  height: number
}

function loaded<T>(query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined }): Loaded<T> {
  if (query.isError) {
    const error = ApiError.from(query.error)
    return { state: 'error', message: error.message, hint: error.hint }
  }
  if (query.isPending || query.data === undefined) return { state: 'loading' }
  return { state: 'ready', data: query.data }
}

/**
 * The alias's schemas, tables and views (with their row estimates and Django models), opened to their
 * columns, indexes and foreign keys, and Django's migrations. Walked with the arrow keys (the tree keeps
 * the focus and points at the active row, so the virtualized rows can come and go).
 */
export function ConnectionTree({ alias, openTable, onOpenTable, height }: ConnectionTreeProps) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const schemas = useApiQuery('data.schemas', { alias })
  const tables = useApiQuery('data.tables', { alias })
  // Not every database is Django's, and not every engine can say: the tree simply shows no Django labels then.
  const django = useApiQuery('data.django', { alias }, { retry: false })
  const [filter, setFilter] = useState('')
  // What the user toggled; the default schema starts open, everything else closed.
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set())
  const [activeId, setActiveId] = useState<string | null>(null)
  const scroller = useRef<HTMLDivElement>(null)

  const defaultSchema = schemas.data?.find((s) => s.isDefault)?.name ?? schemas.data?.[0]?.name
  const expanded = useMemo(() => {
    const set = new Set(toggled)
    const initial = defaultSchema === undefined ? undefined : schemaNodeId(defaultSchema)
    if (initial) {
      if (toggled.has(initial)) set.delete(initial)
      else set.add(initial)
    }
    return set
  }, [toggled, defaultSchema])

  const expandedTables = useMemo(() => (tables.data ?? []).filter((t) => expanded.has(tableNodeId(t))), [tables.data, expanded])
  const describes = useQueries({
    queries: expandedTables.map((table) => {
      const input = { alias, table: tableRefOf(table) }
      return { queryKey: apiQueryKey('data.describe', input), queryFn: () => client.call('data.describe', input) }
    }),
  })
  const details = new Map<string, Loaded<TableDetail>>()
  expandedTables.forEach((table, i) => details.set(tableKey(table), loaded(describes[i]!)))

  const nodes = visibleNodes({
    schemas: schemas.data ?? [],
    tables: loaded(tables),
    details,
    django: django.data,
    expanded,
    filter,
  })

  // eslint-disable-next-line react-hooks/incompatible-library -- this app does not use the React Compiler
  const virtualizer = useVirtualizer({ count: nodes.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 16 })
  const activeIndex = activeId === null ? -1 : nodes.findIndex((n) => n.id === activeId)

  const toggle = (id: string) =>
    setToggled((current) => {
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const setOpen = (node: TreeNode, open: boolean) => {
    if (isExpandable(node) && expanded.has(node.id) !== open) toggle(node.id)
  }
  const activate = (index: number) => {
    const node = nodes[Math.max(0, Math.min(nodes.length - 1, index))]
    if (!node) return
    setActiveId(node.id)
    virtualizer.scrollToIndex(nodes.indexOf(node), { align: 'auto' })
  }

  const refresh = () => {
    // Keys match by their first part: { alias } also reaches every describe of this alias.
    for (const method of ['data.schemas', 'data.tables', 'data.describe', 'data.django'] as const) void queryClient.invalidateQueries({ queryKey: [method, { alias }] })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const node = nodes[activeIndex]
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 2)
    const keys: Record<string, () => void> = {
      ArrowDown: () => activate(activeIndex + 1),
      ArrowUp: () => activate(activeIndex === -1 ? 0 : activeIndex - 1),
      PageDown: () => activate(activeIndex + page),
      PageUp: () => activate(activeIndex - page),
      Home: () => activate(0),
      End: () => activate(nodes.length - 1),
      ArrowRight: () => {
        if (!node || !isExpandable(node)) return
        if (!expanded.has(node.id)) setOpen(node, true)
        else activate(activeIndex + 1)
      },
      ArrowLeft: () => {
        if (!node) return
        if (isExpandable(node) && expanded.has(node.id)) setOpen(node, false)
        else activate(parentIndex(nodes, activeIndex))
      },
      Enter: () => {
        if (node?.kind === 'table') onOpenTable(node.table)
        else if (node) setOpen(node, !expanded.has(node.id))
      },
      ' ': () => node && setOpen(node, !expanded.has(node.id)),
    }
    const action = keys[event.key]
    if (!action) return
    event.preventDefault()
    action()
  }

  const tableCount = tables.data?.length
  return (
    <Stack gap={6} h={height}>
      <Group gap={6} wrap="nowrap">
        <TextInput
          size="xs"
          style={{ flex: 1 }}
          placeholder="Filter tables"
          aria-label="Filter tables"
          leftSection={<IconSearch size={14} />}
          rightSection={
            filter && (
              <ActionIcon size="xs" variant="subtle" color="gray" aria-label="Clear the filter" onClick={() => setFilter('')}>
                <IconX size={12} />
              </ActionIcon>
            )
          }
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') {
              event.preventDefault()
              scroller.current?.focus()
              activate(nodes.findIndex((n) => n.kind === 'table'))
            } else if (event.key === 'Escape') setFilter('')
          }}
        />
        <Tooltip label="Read the schemas, tables and columns again">
          <ActionIcon variant="default" size="md" aria-label="Refresh the tree" onClick={refresh} loading={tables.isFetching || schemas.isFetching}>
            <IconRefresh size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
      {schemas.isError && <ErrorAlert error={schemas.error} title="Could not list the schemas" />}
      {tables.isError && !schemas.isError && <ErrorAlert error={tables.error} title="Could not list the tables" actions={<ActionIcon onClick={refresh} aria-label="Try again" variant="default"><IconRefresh size={14} /></ActionIcon>} />}
      {schemas.isPending ? (
        <Group gap={6} p="xs">
          <Loader size={12} aria-label="Loading the tree" />
          <Text size="xs" c="dimmed">
            Reading the database…
          </Text>
        </Group>
      ) : (
        <div
          ref={scroller}
          className={classes.tree}
          style={{ flex: 1, minHeight: 0 }}
          role="tree"
          aria-label="Connection tree"
          tabIndex={0}
          aria-activedescendant={activeIndex === -1 ? undefined : domId(alias, nodes[activeIndex]!.id)}
          onKeyDown={onKeyDown}
          onFocus={() => {
            if (activeIndex === -1 && nodes.length > 0) setActiveId(nodes[0]!.id)
          }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const node = nodes[item.index]!
              return (
                <TreeRow
                  key={node.id}
                  id={domId(alias, node.id)}
                  node={node}
                  top={item.start}
                  height={item.size}
                  expanded={expanded.has(node.id)}
                  active={item.index === activeIndex}
                  open={node.kind === 'table' && tableKey(node.table) === openTable}
                  onToggle={() => toggle(node.id)}
                  onClick={() => {
                    setActiveId(node.id)
                    if (node.kind === 'table') onOpenTable(node.table)
                    else if (isExpandable(node)) toggle(node.id)
                  }}
                />
              )
            })}
          </div>
        </div>
      )}
      {filter && tableCount !== undefined && (
        <Text size="xs" c="dimmed" aria-live="polite">
          {nodes.filter((n) => n.kind === 'table').length} of {tableCount} tables match
        </Text>
      )}
    </Stack>
  )
}

/** A DOM id for aria-activedescendant: the node id may hold any character. */
function domId(alias: string, nodeId: string): string {
  let hash = 0
  for (const char of `${alias}\u0000${nodeId}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0
  return `tree-${(hash >>> 0).toString(36)}-${nodeId.length}`
}
