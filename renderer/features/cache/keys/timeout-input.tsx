import { Checkbox, Group, NumberInput } from '@mantine/core'

export interface TimeoutChoice {
  seconds: number | ''
  never: boolean
}

/** cache.set's timeout from the choice: seconds, null for never, or left out for the alias's default. */
export function timeoutOf({ seconds, never }: TimeoutChoice): { timeout?: number | null } {
  return never ? { timeout: null } : seconds === '' ? {} : { timeout: seconds }
}

/** A key's time to live: seconds, or never. Empty means the alias's default timeout. */
export function TimeoutInput({ value, onChange, label = 'Timeout (seconds)' }: { value: TimeoutChoice; onChange: (next: TimeoutChoice) => void; label?: string }) {
  return (
    <Group align="flex-end" gap="sm">
      <NumberInput
        label={label}
        placeholder="alias default"
        min={0}
        w={160}
        value={value.seconds}
        disabled={value.never}
        onChange={(v) => onChange({ ...value, seconds: typeof v === 'number' ? v : '' })}
      />
      <Checkbox label="Never expires" checked={value.never} onChange={(e) => onChange({ ...value, never: e.currentTarget.checked })} mb={6} />
    </Group>
  )
}
