import { NumberInput, SimpleGrid, Slider, Stack, Text } from '@mantine/core'

export interface WorkloadSettings {
  keys: number
  valueBytes: number
  readRatio: number
  concurrency: number
  durationSeconds: number
}

export const DEFAULT_SETTINGS: WorkloadSettings = { keys: 1000, valueBytes: 100, readRatio: 0.9, concurrency: 8, durationSeconds: 5 }

/** The workload both columns run: the same mix, so their numbers compare. Bounds as the contract's. */
export function WorkloadSettingsForm({ value, onChange, disabled }: { value: WorkloadSettings; onChange: (next: WorkloadSettings) => void; disabled: boolean }) {
  const number = (field: keyof WorkloadSettings, min: number, max: number) => (next: string | number) => {
    if (typeof next === 'number' && Number.isFinite(next)) onChange({ ...value, [field]: Math.min(max, Math.max(min, next)) })
  }
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" aria-label="Workload">
      <NumberInput label="Keys" min={1} max={100_000} value={value.keys} onChange={number('keys', 1, 100_000)} disabled={disabled} allowDecimal={false} thousandSeparator="," />
      <NumberInput label="Value bytes" min={1} max={1024 * 1024} value={value.valueBytes} onChange={number('valueBytes', 1, 1024 * 1024)} disabled={disabled} allowDecimal={false} thousandSeparator="," />
      <Stack gap={2}>
        <Text size="sm" fw={500}>
          Reads {Math.round(value.readRatio * 100)} % · writes {100 - Math.round(value.readRatio * 100)} %
        </Text>
        <Slider aria-label="Read ratio" min={0} max={1} step={0.05} value={value.readRatio} onChange={(readRatio) => onChange({ ...value, readRatio })} disabled={disabled} label={(v) => `${Math.round(v * 100)} % reads`} mt={8} />
      </Stack>
      <NumberInput label="Concurrency" min={1} max={256} value={value.concurrency} onChange={number('concurrency', 1, 256)} disabled={disabled} allowDecimal={false} />
      <NumberInput label="Duration (seconds)" min={1} max={300} value={value.durationSeconds} onChange={number('durationSeconds', 1, 300)} disabled={disabled} />
    </SimpleGrid>
  )
}
