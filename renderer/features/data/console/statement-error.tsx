import { Alert, Code, Group, Text } from '@mantine/core'
import { IconAlertTriangle } from '@tabler/icons-react'
import type { ApiError } from '../../../api/api-error'
import { CodeBlock } from '../../../components/code-block'
import classes from './console.module.css'

/** A failed statement: the server's own code (SQLSTATE, errno) beside ours, its message and hint, and the statement. */
export function StatementError({ error, index, statement }: { error: ApiError; index: number | null; statement?: string | undefined }) {
  const details = (typeof error.details === 'object' && error.details !== null ? error.details : {}) as { serverCode?: unknown }
  const serverCode = typeof details.serverCode === 'string' || typeof details.serverCode === 'number' ? String(details.serverCode) : undefined
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      role="alert"
      title={
        <Group gap={6} wrap="nowrap">
          <span>{index === null ? 'The run failed' : `Statement ${index + 1} failed`}</span>
          {serverCode && (
            <Code fz="xs" aria-label="Server error code">
              {serverCode}
            </Code>
          )}
          <Code fz="xs">{error.code}</Code>
        </Group>
      }
    >
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} aria-label="Error message">
        {error.message}
      </Text>
      {error.hint && (
        <Text size="sm" c="dimmed" mt={4}>
          {error.hint}
        </Text>
      )}
      {statement && (
        <div className={classes.statement} style={{ marginTop: 8 }}>
          <CodeBlock maxHeight={120} label="Failed statement">
            {statement}
          </CodeBlock>
        </div>
      )}
    </Alert>
  )
}
