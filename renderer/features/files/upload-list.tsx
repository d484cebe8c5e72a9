import { Badge, Button, Code, Group, Paper, Progress, Stack, Text } from '@mantine/core'
import { formatBytes } from '../../components/format'
import type { Upload } from './use-uploads'

const PHASE_LABEL: Record<Upload['phase'], string> = { waiting: 'waiting', reading: 'reading', sending: 'saving', done: 'saved', failed: 'failed' }
const PHASE_COLOR: Record<Upload['phase'], string> = { waiting: 'gray', reading: 'indigo', sending: 'indigo', done: 'teal', failed: 'red' }

/** Each upload's progress and outcome, including the name the storage really used when it differs. */
export function UploadList({ uploads, onClear }: { uploads: readonly Upload[]; onClear: () => void }) {
  if (uploads.length === 0) return null
  return (
    <Paper withBorder p="xs" component="section" aria-label="Uploads">
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={600}>
          Uploads
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={onClear}>
          Clear finished
        </Button>
      </Group>
      <Stack gap={6}>
        {uploads.map((upload) => (
          <div key={upload.id}>
            <Group gap="xs" wrap="nowrap">
              <Text size="xs" ff="monospace" truncate style={{ flex: 1 }} title={upload.name}>
                {upload.name}
              </Text>
              <Text size="xs" c="dimmed">
                {formatBytes(upload.size)}
              </Text>
              <Badge color={PHASE_COLOR[upload.phase]}>{PHASE_LABEL[upload.phase]}</Badge>
            </Group>
            {(upload.phase === 'reading' || upload.phase === 'sending') && (
              <Progress value={upload.progress * 100} size="xs" animated={upload.phase === 'sending'} aria-label={`Progress of ${upload.name}`} />
            )}
            {upload.storedName && upload.storedName !== upload.name && (
              <Text size="xs" c="yellow.7">
                The name was taken; stored as <Code fz={10}>{upload.storedName}</Code>
              </Text>
            )}
            {upload.storedName && upload.storedName === upload.name && (
              <Text size="xs" c="dimmed">
                stored as <Code fz={10}>{upload.storedName}</Code>
              </Text>
            )}
            {upload.error && (
              <Text size="xs" c="red">
                {upload.error.message} {upload.error.hint}
              </Text>
            )}
          </div>
        ))}
      </Stack>
    </Paper>
  )
}
