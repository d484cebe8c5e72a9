import { Tooltip } from '@mantine/core'
import { IconAlertTriangle, IconArrowRight, IconBrandDjango, IconChevronDown, IconChevronRight, IconColumns, IconDatabase, IconEye, IconFolder, IconGitCommit, IconKey, IconListDetails, IconTable } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { isExpandable, type TreeNode } from './tree-model'
import classes from './connection-tree.module.css'

/** "1.2k" for a row estimate: it is a guess from statistics, and reads like one. */
export function formatEstimate(rows: number): string {
  if (rows < 1000) return String(rows)
  if (rows < 1_000_000) return `${(rows / 1000).toFixed(rows < 10_000 ? 1 : 0)}k`
  if (rows < 1_000_000_000) return `${(rows / 1_000_000).toFixed(rows < 10_000_000 ? 1 : 0)}M`
  return `${(rows / 1_000_000_000).toFixed(1)}G`
}

function formatApplied(applied: string | null): string {
  if (applied === null) return 'not applied'
  const date = new Date(applied.includes('T') || applied.includes(' ') ? applied.replace(' ', 'T') : applied)
  return Number.isNaN(date.getTime()) ? applied : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

const ICON = 14

function iconOf(node: TreeNode): ReactNode {
  switch (node.kind) {
    case 'schema':
      return <IconDatabase size={ICON} />
    case 'table':
      return node.table.type === 'view' ? <IconEye size={ICON} aria-label="view" /> : <IconTable size={ICON} aria-label="table" />
    case 'column':
      return node.column.primaryKey > 0 ? <IconKey size={ICON} color="var(--mantine-color-yellow-filled)" /> : <IconColumns size={ICON} />
    case 'group':
      return <IconFolder size={ICON} />
    case 'index':
      return <IconListDetails size={ICON} />
    case 'foreignKey':
      return <IconArrowRight size={ICON} />
    case 'djangoRoot':
    case 'djangoApp':
      return <IconBrandDjango size={ICON} />
    case 'migration':
      return <IconGitCommit size={ICON} />
    case 'status':
      return node.tone === 'error' ? <IconAlertTriangle size={ICON} color="var(--mantine-color-red-filled)" /> : null
  }
}

function details(node: TreeNode): ReactNode {
  switch (node.kind) {
    case 'schema':
      return (
        <>
          {node.isDefault && <span className={classes.badge}>default</span>}
          {node.count !== undefined && <span className={classes.meta}>{node.count}</span>}
        </>
      )
    case 'table':
      return (
        <>
          {node.model && (
            <span className={`${classes.badge} ${classes.model}`} title="Django model">
              {node.model}
            </span>
          )}
          {node.table.rowEstimate !== undefined && (
            <span className={classes.meta} title={`About ${node.table.rowEstimate.toLocaleString('en')} rows (the server's estimate)`}>
              ≈{formatEstimate(node.table.rowEstimate)}
            </span>
          )}
        </>
      )
    case 'column': {
      const { column } = node
      return (
        <>
          {column.primaryKey > 0 && <span className={`${classes.badge} ${classes.pk}`}>PK{column.primaryKey > 1 ? ` ${column.primaryKey}` : ''}</span>}
          {node.references && (
            <span className={`${classes.badge} ${classes.fk}`} title={`References ${node.references}`}>
              FK
            </span>
          )}
          <span className={`${classes.dim} ${classes.mono}`}>{column.type.toLowerCase() || 'any'}</span>
          <span className={classes.meta}>{column.nullable ? 'null' : 'not null'}</span>
        </>
      )
    }
    case 'group':
    case 'djangoRoot':
    case 'djangoApp':
      return <span className={classes.meta}>{node.count}</span>
    case 'index':
      return (
        <>
          {node.index.primary ? <span className={`${classes.badge} ${classes.pk}`}>primary</span> : node.index.unique && <span className={classes.badge}>unique</span>}
          <span className={`${classes.dim} ${classes.mono}`}>({node.index.columns.join(', ')})</span>
        </>
      )
    case 'migration':
      return <span className={classes.meta}>{formatApplied(node.applied)}</span>
    default:
      return null
  }
}

interface TreeRowProps {
  node: TreeNode
  id: string
  top: number
  height: number
  expanded: boolean
  active: boolean
  /** The table is open in the tab shown. */
  open: boolean
  onToggle: () => void
  onClick: () => void
}

export function TreeRow({ node, id, top, height, expanded, active, open, onToggle, onClick }: TreeRowProps) {
  const expandable = isExpandable(node)
  const label =
    node.kind === 'status' ? (
      <span className={node.tone === 'error' ? classes.error : classes.dim}>{node.label}</span>
    ) : (
      // The title shows a name cut by the pane's edge in full.
      <span className={`${classes.label} ${node.kind === 'column' || node.kind === 'table' || node.kind === 'index' || node.kind === 'migration' ? classes.mono : ''}`} title={node.label}>
        {node.label}
      </span>
    )
  return (
    <div
      id={id}
      role="treeitem"
      aria-level={node.level}
      aria-expanded={expandable ? expanded : undefined}
      aria-selected={active}
      aria-label={node.kind === 'status' ? node.label : undefined}
      data-kind={node.kind}
      data-name={node.label}
      className={`${classes.row} ${active ? classes.active : ''} ${open ? classes.open : ''}`}
      style={{ top, height, paddingLeft: 4 + (node.level - 1) * 14 }}
      onClick={onClick}
    >
      <span
        className={classes.chevron}
        onClick={(event) => {
          if (!expandable) return
          event.stopPropagation()
          onToggle()
        }}
        aria-hidden
      >
        {expandable && (expanded ? <IconChevronDown size={12} /> : <IconChevronRight size={12} />)}
      </span>
      <span className={classes.icon}>{iconOf(node)}</span>
      {node.kind === 'status' && node.hint ? (
        <Tooltip label={node.hint} multiline w={260}>
          {label}
        </Tooltip>
      ) : (
        label
      )}
      {details(node)}
    </div>
  )
}
