import { Input, Switch } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'

export function BooleanField({ field, state, path, errors, onChange, disabled, label }: FieldProps) {
  return (
    <Input.Wrapper error={errors[path]}>
      <Switch
        label={<FieldLabel field={field} label={label} />}
        description={fieldDescription(field)}
        checked={state.kind === 'value' && state.value === true}
        disabled={disabled}
        onChange={(event) => onChange({ kind: 'value', value: event.currentTarget.checked, present: state.present }, path)}
      />
    </Input.Wrapper>
  )
}
