import { Button, Center, Loader } from '@mantine/core'
import { IconSettings } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { KIND_TITLES, type Kind } from '../../main/api/contract'
import { AliasSelect } from './alias-select'
import { EmptyMessage } from './empty-message'
import { ErrorAlert } from './error-alert'
import { PageHeader } from './page-header'
import { useAliasChoice } from './use-alias-choice'

interface AliasPageProps {
  kind: Kind
  title: string
  description: ReactNode
  /** The page body for the chosen alias; remounted when the alias changes, so no state leaks across. */
  children: (alias: string) => ReactNode
}

/** The frame of every page that works on one alias of a kind: header, alias picker, and the states before there is one. */
export function AliasPage({ kind, title, description, children }: AliasPageProps) {
  const { alias, aliases, choose, settings } = useAliasChoice(kind)
  const kindTitle = KIND_TITLES[kind]
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={aliases.length > 0 && <AliasSelect label={`${kindTitle} alias`} aliases={aliases} value={alias} onChange={choose} />}
      />
      {settings.isPending ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading settings" />
        </Center>
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} title="Could not read the settings" />
      ) : alias === null ? (
        <EmptyMessage
          title={`No ${kindTitle.toLowerCase()} alias is configured`}
          actions={
            <Button component={Link} to={`/settings?kind=${kind}`} leftSection={<IconSettings size={14} />}>
              Add one in Settings
            </Button>
          }
        >
          Add an alias of this kind in Settings, then come back here.
        </EmptyMessage>
      ) : (
        <div key={alias}>{children(alias)}</div>
      )}
    </>
  )
}
