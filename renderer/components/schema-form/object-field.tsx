import { Fieldset, Stack, Text } from '@mantine/core'
import { useId } from 'react'
import { joinPath, splitPath } from './option-paths'
import type { GroupProps } from './field-props'
import { fieldDescription, GroupLegend } from './field-label'

/** A nested object: its options as a labelled group of fields (a fieldset, so the group has a name). */
export function ObjectField({ field, state, path, errors, onChange, disabled, label, actions, Field }: GroupProps) {
  const labelId = useId()
  // The group is named by its label alone, not by the item buttons beside it.
  const legend = <GroupLegend id={labelId} field={field} label={label} actions={actions} />
  const description = fieldDescription(field)
  const extra = state.kind === 'object' ? Object.keys(state.extra) : []
  return (
    <Fieldset legend={legend} aria-labelledby={labelId} disabled={disabled} p="sm" pt={4} styles={{ legend: { width: '100%' } }}>
      <Stack gap="sm">
        {description && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
        {state.kind !== 'object' ? (
          <Text size="sm" c="dimmed">
            empty
          </Text>
        ) : (
          (field.fields ?? []).map((child) => {
            const childState = state.fields[child.name]
            if (!childState) return null
            const childPath = joinPath([...splitPath(path), child.name])
            return (
              <Field
                key={child.name}
                field={child}
                state={childState}
                path={childPath}
                errors={errors}
                onChange={onChange}
              />
            )
          })
        )}
        {extra.length > 0 && (
          <Text size="xs" c="dimmed">
            Also kept as they are (this engine does not declare them): {extra.map((key) => `“${key}”`).join(', ')}.
          </Text>
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
