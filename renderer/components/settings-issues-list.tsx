import { Alert, Code, List, Text } from '@mantine/core'
import { IconFileAlert } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import type { SettingsIssue } from '../../main/api/contract'

/** Problems found in settings.json, each with the file and JSON pointer to fix by hand if need be. */
export function SettingsIssuesList({ issues, title = 'Problems in the settings file', action }: { issues: readonly SettingsIssue[]; title?: string; action?: ReactNode }) {
  if (issues.length === 0) return null
  const errors = issues.some((issue) => issue.severity === 'error')
  return (
    <Alert color={errors ? 'red' : 'yellow'} icon={<IconFileAlert size={18} />} title={title}>
      <List size="sm" spacing={4}>
        {issues.map((issue, index) => (
          <List.Item key={`${issue.pointer}-${index}`}>
            <Code fz="xs">{issue.pointer || '/'}</Code> {issue.message}
            <Text span size="xs" c="dimmed">
              {' '}
              ({issue.file})
            </Text>
          </List.Item>
        ))}
      </List>
      {action && <div style={{ marginTop: 8 }}>{action}</div>}
    </Alert>
  )
}
