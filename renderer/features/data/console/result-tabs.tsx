import { Badge, Tabs, Text } from '@mantine/core'
import { IconAlertTriangle, IconListTree } from '@tabler/icons-react'
import { PlanView } from './plan-view'
import { ResultView } from './result-view'
import { StatementError } from './statement-error'
import { leadingKeyword } from './sql-statements'
import classes from './console.module.css'
import type { ConsoleTab } from './use-console-run'

interface ResultTabsProps {
  alias: string
  tabs: readonly ConsoleTab[]
  active: string | null
  onActivate: (key: string) => void
  busy: boolean
  onLoadMore: (key: string) => void
}

// Inline, as Mantine's own panel rule sets flex-grow after a module class would.
const FILL = { flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' } as const

function TabLabel({ tab }: { tab: ConsoleTab }) {
  if (tab.kind === 'plan') return <>Plan</>
  if (tab.kind === 'error') return <>{tab.index === null ? 'Error' : `${tab.index + 1} · Error`}</>
  return (
    <>
      {tab.index + 1} · {leadingKeyword(tab.statement)}
      <Badge size="xs" variant="light" color={tab.result.kind === 'write' ? 'gray' : 'blue'} ml={6} tt="none">
        {tab.result.rowCount.toLocaleString('en')}
        {tab.result.truncated ? '+' : ''}
      </Badge>
    </>
  )
}

/** A tab per statement of the last run (its result, or its failure), and the plan of the last EXPLAIN. */
export function ResultTabs({ alias, tabs, active, onActivate, busy, onLoadMore }: ResultTabsProps) {
  const value = tabs.some((t) => t.key === active) ? active : (tabs[0]?.key ?? null)
  return (
    <Tabs value={value} onChange={(key) => key && onActivate(key)} keepMounted={false} aria-label="Results" h="100%" style={{ display: 'flex', flexDirection: 'column' }}>
      <Tabs.List style={{ flexWrap: 'wrap' }}>
        {tabs.map((tab) => (
          <Tabs.Tab
            key={tab.key}
            value={tab.key}
            color={tab.kind === 'error' || (tab.kind === 'plan' && tab.error) ? 'red' : undefined}
            leftSection={tab.kind === 'error' ? <IconAlertTriangle size={14} /> : tab.kind === 'plan' ? <IconListTree size={14} /> : undefined}
          >
            <TabLabel tab={tab} />
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {tabs.map((tab) => (
        <Tabs.Panel key={tab.key} value={tab.key} pt="xs" style={FILL}>
          {tab.kind === 'result' && <ResultView alias={alias} index={tab.index} result={tab.result} statement={tab.statement} maxRows={tab.maxRows} busy={busy} onLoadMore={() => onLoadMore(tab.key)} />}
          {tab.kind === 'error' && (
            <div className={classes.scroll}>
              <StatementError error={tab.error} index={tab.index} statement={tab.statement} />
            </div>
          )}
          {tab.kind === 'plan' &&
            (tab.result ? (
              <PlanView result={tab.result} />
            ) : (
              <div className={classes.scroll}>{tab.error ? <StatementError error={tab.error} index={null} statement={tab.statement} /> : <Text size="sm">No plan.</Text>}</div>
            ))}
        </Tabs.Panel>
      ))}
    </Tabs>
  )
}
