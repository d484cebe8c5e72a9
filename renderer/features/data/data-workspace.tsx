import { Box, CloseButton, Splitter, Tabs, Text, Tooltip } from '@mantine/core'
import { IconEye, IconTable, IconTerminal2 } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import { useApiQuery } from '../../api/hooks'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { useFillHeight } from '../../components/use-fill-height'
import { SqlConsole } from './console/sql-console'
import { TableView } from './table/table-view'
import { tableKey, type TableSummary } from './table/table-ref'
import { ConnectionTree } from './tree/connection-tree'
import { modelLabels } from './tree/tree-model'

const CONSOLE = 'console'
/** The tab strip above the panels; every tab has this height, with or without its close button. */
const TABS_HEIGHT = 38
const TAB_HEIGHT = 36
/** A long table name is cut in its tab (the title holds it whole), so the other tabs stay in view. */
const TAB_LABEL_MAX = 220

/**
 * The Data section: the alias's connection tree on the left; on the right the SQL console and a tab per
 * opened table (kept mounted, so a table's scroll position and pending edits survive switching tabs).
 */
export function DataWorkspace({ alias }: { alias: string }) {
  const { ref, height } = useFillHeight<HTMLDivElement>(16, 420)
  const [tabs, setTabs] = useState<TableSummary[]>([])
  const [active, setActive] = useState<string>(CONSOLE)
  // Pending edits per open table: closing one that has some asks first.
  const [pending, setPending] = useState<Record<string, number>>({})
  const [closing, setClosing] = useState<string | null>(null)
  const settings = useApiQuery('settings.get', {})
  const schemas = useApiQuery('data.schemas', { alias })
  const django = useApiQuery('data.django', { alias }, { retry: false })
  const models = modelLabels(django.data)
  const readOnly = settings.data?.aliases.find((a) => a.kind === 'data' && a.name === alias)?.options.readOnly === true
  const readOnlyReason = readOnly ? `Alias “${alias}” is set to read-only in Settings.` : null
  const activeTable = tabs.find((t) => tableKey(t) === active)
  const tabList = useRef<HTMLDivElement>(null)
  // A tab opened from the tree may sit past the strip's right edge: bring the active one into view.
  useEffect(() => {
    tabList.current?.querySelector('[role=tab][aria-selected=true]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [active, tabs.length])
  const defaultSchema = schemas.data?.find((s) => s.isDefault)?.name

  const open = (table: TableSummary) => {
    const key = tableKey(table)
    setTabs((current) => (current.some((t) => tableKey(t) === key) ? current : [...current, table]))
    setActive(key)
  }
  const askToClose = (key: string) => {
    if ((pending[key] ?? 0) > 0) setClosing(key)
    else close(key)
  }
  const close = (key: string) => {
    setPending(({ [key]: _dropped, ...rest }) => rest)
    const index = tabs.findIndex((t) => tableKey(t) === key)
    const rest = tabs.filter((t) => tableKey(t) !== key)
    setTabs(rest)
    if (active === key) {
      const neighbour = rest[Math.min(index, rest.length - 1)]
      setActive(neighbour ? tableKey(neighbour) : CONSOLE)
    }
  }

  const panelHeight = height - TABS_HEIGHT - 8
  return (
    <div ref={ref} style={{ height }}>
      <Splitter h="100%" aria-label="Data workspace">
        <Splitter.Pane defaultSize="22%" min="180px" max="50%">
          <Box h="100%" pr={8}>
            <ConnectionTree alias={alias} openTable={activeTable ? tableKey(activeTable) : null} onOpenTable={open} height={height} />
          </Box>
        </Splitter.Pane>
        <Splitter.Pane defaultSize="78%" min="40%">
          <Tabs value={active} onChange={(value) => value && setActive(value)} keepMounted h="100%" pl={8} variant="outline" activateTabWithKeyboard>
            <Tabs.List ref={tabList} style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden', scrollbarWidth: 'thin' }}>
              <Tabs.Tab value={CONSOLE} h={TAB_HEIGHT} leftSection={<IconTerminal2 size={14} />}>
                Console
              </Tabs.Tab>
              {tabs.map((table) => {
                const key = tableKey(table)
                const label = table.schema && table.schema !== defaultSchema ? `${table.schema}.${table.name}` : table.name
                return (
                  <Tabs.Tab
                    key={key}
                    value={key}
                    h={TAB_HEIGHT}
                    leftSection={table.type === 'view' ? <IconEye size={14} /> : <IconTable size={14} />}
                    rightSection={
                      <Tooltip label="Close the tab" openDelay={500}>
                        <CloseButton
                          size="xs"
                          component="span"
                          aria-label={`Close ${label}`}
                          onClick={(event) => {
                            event.stopPropagation()
                            askToClose(key)
                          }}
                        />
                      </Tooltip>
                    }
                    onAuxClick={(event) => {
                      if (event.button === 1) askToClose(key)
                    }}
                  >
                    <Text span size="sm" ff="monospace" display="block" maw={TAB_LABEL_MAX} truncate="end" title={label}>
                      {label}
                    </Text>
                  </Tabs.Tab>
                )
              })}
            </Tabs.List>
            <Tabs.Panel value={CONSOLE} pt={8}>
              <Box h={panelHeight}>
                <SqlConsole alias={alias} schema={activeTable?.schema ?? defaultSchema} />
              </Box>
            </Tabs.Panel>
            {tabs.map((table) => (
              <Tabs.Panel key={tableKey(table)} value={tableKey(table)} pt={8}>
                <TableView
                  alias={alias}
                  table={table}
                  readOnlyReason={readOnlyReason}
                  model={models.get(table.name.toLowerCase())}
                  height={panelHeight}
                  onPendingChange={(count) => setPending((current) => (current[tableKey(table)] === count ? current : { ...current, [tableKey(table)]: count }))}
                />
              </Tabs.Panel>
            ))}
          </Tabs>
        </Splitter.Pane>
      </Splitter>
      <ConfirmDialog
        opened={closing !== null}
        onClose={() => setClosing(null)}
        title={`Close ${tabs.find((t) => tableKey(t) === closing)?.name ?? 'the table'} and drop its pending edits?`}
        message={`${pending[closing ?? ''] ?? 0} pending changes were not committed. Closing the tab forgets them.`}
        confirmLabel="Drop the edits and close"
        onConfirm={() => closing && close(closing)}
      />
    </div>
  )
}
