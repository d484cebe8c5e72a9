import { Input, Switch } from '@mantine/core'
import type { FieldProps } from './field-props'
import { fieldDescription, FieldLabel } from './field-label'

export function BooleanField({ field, value, error, onChange, disabled }: FieldProps) {
  return (
    <Input.Wrapper error={error}>
      <Switch
        label={<FieldLabel field={field} />}
        description={fieldDescription(field)}
        checked={value === true}
        disabled={disabled}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
    </Input.Wrapper>
  )
}
