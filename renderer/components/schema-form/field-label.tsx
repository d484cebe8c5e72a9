import { Code, Group } from '@mantine/core'
import type { ReactNode } from 'react'
import type { FieldSpec } from './json-schema'

/**
 * The label in words, and the option's key as settings.json spells it, for people who edit the file
 * too. A list item is named by its place ("Server 2") and has no key of its own.
 */
export function FieldLabel({ field, label }: { field: FieldSpec; label?: string | undefined }) {
  return (
    <Group gap={6} component="span" wrap="nowrap" style={{ display: 'inline-flex' }}>
      <span>{label ?? field.label}</span>
      {field.name !== '*' && (
        <Code fz={10} c="dimmed" aria-hidden>
          {field.name}
        </Code>
      )}
    </Group>
  )
}

/**
 * The legend of a group (an object's fields, a list's items): the label, named by `id` so the group's
 * accessible name is the label alone and not the buttons beside it.
 */
export function GroupLegend({ id, field, label, actions }: { id: string; field: FieldSpec; label?: string | undefined; actions?: ReactNode }) {
  return (
    <Group gap="xs" justify="space-between" wrap="nowrap" component="span" style={{ display: 'flex' }}>
      <span id={id}>
        <FieldLabel field={field} label={label} />
      </span>
      {actions}
    </Group>
  )
}

/** The schema's help text, and the default when there is one. */
export function fieldDescription(field: FieldSpec): string | undefined {
  const parts: string[] = []
  if (field.description) parts.push(field.description)
  if (field.hasDefault && field.default !== '' && field.control !== 'boolean' && field.control !== 'object' && field.control !== 'list') parts.push(`Default: ${JSON.stringify(field.default)}.`)
  return parts.length > 0 ? parts.join(' ') : undefined
}

export function defaultPlaceholder(field: FieldSpec): string | undefined {
  if (!field.hasDefault || field.default === '' || field.default === null || field.default === undefined) return undefined
  return `default: ${typeof field.default === 'string' ? field.default : JSON.stringify(field.default)}`
}
