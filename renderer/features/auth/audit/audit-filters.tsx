import { Group, Select, TextInput } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useAliasChoice } from '../../../components/use-alias-choice'
import { OUTCOME_CHOICES, type Outcome } from '../outcome'
import type { AuditChoiceFilter } from './use-audit'

interface AuditFiltersProps {
  username: string
  onUsername: (username: string) => void
  filter: AuditChoiceFilter
  onFilter: (filter: AuditChoiceFilter) => void
}

/** Narrows the log to one username, one outcome, one backend. */
export function AuditFilters({ username, onUsername, filter, onFilter }: AuditFiltersProps) {
  const { aliases } = useAliasChoice('auth')
  return (
    <Group gap="xs">
      <TextInput w={220} aria-label="Filter: username" placeholder="Username" leftSection={<IconSearch size={14} />} value={username} onChange={(event) => onUsername(event.currentTarget.value)} />
      <Select
        w={180}
        aria-label="Filter: outcome"
        placeholder="Any outcome"
        clearable
        data={OUTCOME_CHOICES}
        value={filter.outcome ?? null}
        onChange={(outcome) => onFilter({ ...filter, outcome: (outcome as Outcome | null) ?? undefined })}
      />
      <Select
        w={180}
        aria-label="Filter: backend"
        placeholder="Any backend"
        clearable
        data={aliases.map((alias) => alias.name)}
        value={filter.alias ?? null}
        onChange={(alias) => onFilter({ ...filter, alias: alias ?? undefined })}
      />
    </Group>
  )
}
