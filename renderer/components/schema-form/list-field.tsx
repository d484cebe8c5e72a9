import { ActionIcon, Box, Button, Fieldset, Group, Stack, Text, Tooltip } from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react'
import { useId, useRef } from 'react'
import { addItem, moveItem, removeItem } from './field-state'
import type { GroupProps } from './field-props'
import { fieldDescription, GroupLegend } from './field-label'
import { singular } from './json-schema'
import { joinPath, splitPath } from './option-paths'

/**
 * An array: one field (or group of fields) per item, with Add, Remove and Move. An item's state moves
 * with it, so a server removed above another leaves the other's stored password on the other.
 */
export function ListField({ field, state, path, errors, onChange, disabled, label, actions, Field }: GroupProps) {
  const labelId = useId()
  const addButton = useRef<HTMLButtonElement>(null)
  const item = field.item
  const one = singular(label ?? field.label)
  // "Add server", but "Add URL".
  const oneInText = /^[A-Z]{2}/.test(one) ? one : one.charAt(0).toLowerCase() + one.slice(1)
  const description = fieldDescription(field)
  const full = state.kind === 'list' && field.schema.maxItems !== undefined && state.items.length >= field.schema.maxItems

  const legend = <GroupLegend id={labelId} field={field} label={label} actions={actions} />

  return (
    <Fieldset legend={legend} aria-labelledby={labelId} disabled={disabled} p="sm" pt={4} styles={{ legend: { width: '100%' } }}>
      <Stack gap="sm">
        {description && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
        {state.kind !== 'list' || !item ? (
          <Text size="sm" c="dimmed">
            empty
          </Text>
        ) : (
          <>
            {state.items.length === 0 && (
              <Text size="sm" c="dimmed">
                No {oneInText} yet.
              </Text>
            )}
            {state.items.map((entry, index) => {
              const itemLabel = `${one} ${index + 1}`
              const itemPath = joinPath([...splitPath(path), String(index)])
              const itemActions = (
                <Group gap={2} wrap="nowrap">
                  <Tooltip label="Move up">
                    <ActionIcon variant="subtle" size="sm" aria-label={`Move ${itemLabel} up`} disabled={index === 0} onClick={() => onChange(moveItem(state, index, -1), path)}>
                      <IconArrowUp size={14} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Move down">
                    <ActionIcon
                      variant="subtle"
                      size="sm"
                      aria-label={`Move ${itemLabel} down`}
                      disabled={index === state.items.length - 1}
                      onClick={() => onChange(moveItem(state, index, 1), path)}
                    >
                      <IconArrowDown size={14} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Remove">
                    <ActionIcon
                      variant="subtle"
                      size="sm"
                      color="red"
                      aria-label={`Remove ${itemLabel}`}
                      onClick={() => {
                        onChange(removeItem(state, index), path)
                        // The removed item's buttons are gone: keep the keyboard in the list.
                        addButton.current?.focus()
                      }}
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              )
              const props = { field: item, state: entry.state, path: itemPath, errors, onChange, label: itemLabel }
              // A group item has a header for its buttons; a single field gets them beside it.
              return item.control === 'object' || item.control === 'list' ? (
                <Field key={entry.id} {...props} actions={itemActions} />
              ) : (
                <Group key={entry.id} gap="xs" align="flex-end" wrap="nowrap">
                  <Box style={{ flex: 1 }}>
                    <Field {...props} />
                  </Box>
                  <Box pb={6}>{itemActions}</Box>
                </Group>
              )
            })}
            <Group>
              <Button ref={addButton} size="xs" variant="light" leftSection={<IconPlus size={14} />} disabled={full} onClick={() => onChange(addItem(state, item), path)}>
                Add {oneInText}
              </Button>
            </Group>
          </>
        )}
        {errors[path] && (
          <Text size="xs" c="red">
            {errors[path]}
          </Text>
        )}
      </Stack>
    </Fieldset>
  )
}
