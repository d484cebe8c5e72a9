import { SegmentedControl, Stack } from '@mantine/core'
import { useState } from 'react'
import { CodeBlock } from '../../../components/code-block'
import classes from './console.module.css'
import { ResultGrid } from './result-grid'
import { planText } from './result-text'
import type { QueryResult } from './use-console-run'

/** The server's plan, as the indented text its own shell prints, or as the rows it came in. */
export function PlanView({ result }: { result: QueryResult }) {
  const [view, setView] = useState<'text' | 'grid'>('text')
  return (
    <Stack gap={6} className={classes.fill}>
      <SegmentedControl
        size="xs"
        w={160}
        value={view}
        onChange={(v) => setView(v as 'text' | 'grid')}
        data={[
          { value: 'text', label: 'Text' },
          { value: 'grid', label: 'Rows' },
        ]}
        aria-label="Show the plan as"
      />
      {view === 'text' ? (
        <div className={classes.scroll}>
          <CodeBlock maxHeight={2000} label="Plan">
            {planText(result) || '(the server returned no plan rows)'}
          </CodeBlock>
        </div>
      ) : (
        <div className={classes.fill}>
          <ResultGrid result={result} label="Plan rows" />
        </div>
      )}
    </Stack>
  )
}
