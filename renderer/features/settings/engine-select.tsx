import { Select, Stack, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import type { EngineView } from '../../../main/api/contract'

const CUSTOM = '\u0000custom'

interface EngineSelectProps {
  engines: readonly EngineView[]
  value: string
  error?: string | undefined
  onChange: (engine: string) => void
}

/**
 * Built-in engines by name, custom ones already in use, and "Custom module…" for a new one typed as
 * Django types a dotted path: `./my-engine.mjs#MyEngine` or a package name.
 */
export function EngineSelect({ engines, value, error, onChange }: EngineSelectProps) {
  const known = engines.some((engine) => engine.id === value)
  const [typing, setTyping] = useState(!known && value !== '')
  const selected = typing ? CUSTOM : known ? value : null
  const current = engines.find((engine) => engine.id === value)
  return (
    <Stack gap={4}>
      <Select
        label="Engine"
        withAsterisk
        value={selected}
        error={typing ? undefined : error}
        searchable
        data={[
          ...engines.map((engine) => ({ value: engine.id, label: engine.custom ? engine.id : `${engine.title} (${engine.id})` })),
          { value: CUSTOM, label: 'Custom module…' },
        ]}
        onChange={(next) => {
          if (next === null) return
          setTyping(next === CUSTOM)
          onChange(next === CUSTOM ? '' : next)
        }}
      />
      {typing && (
        <TextInput
          label="Module"
          description="A path relative to the data directory, or a package name, with #Export for a named export."
          placeholder="./my-engine.mjs#MyEngine"
          value={value}
          error={error}
          onChange={(event) => onChange(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          data-autofocus
        />
      )}
      {current?.description && (
        <Text size="xs" c="dimmed">
          {current.description}
        </Text>
      )}
    </Stack>
  )
}
