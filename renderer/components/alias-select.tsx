import { Select } from '@mantine/core'
import type { AliasView } from '../../main/api/contract'

interface AliasSelectProps {
  label: string
  aliases: readonly AliasView[]
  value: string | null
  onChange: (name: string) => void
}

/** Picks the alias a page works on; an invalid alias stays listed (so it can be seen) but disabled. */
export function AliasSelect({ label, aliases, value, onChange }: AliasSelectProps) {
  return (
    <Select
      label={label}
      w={240}
      value={value}
      onChange={(name) => name && onChange(name)}
      data={aliases.map((alias) => ({
        value: alias.name,
        label: `${alias.name} · ${alias.engine}${alias.valid ? '' : ' (invalid)'}`,
        disabled: !alias.valid,
      }))}
      nothingFoundMessage="No alias of this kind"
      comboboxProps={{ withinPortal: true }}
    />
  )
}
