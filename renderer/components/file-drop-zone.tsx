import { Box, Button, FileButton, Group, Text } from '@mantine/core'
import { IconUpload } from '@tabler/icons-react'
import { useState, type DragEvent, type ReactNode } from 'react'
import classes from './file-drop-zone.module.css'

interface FileDropZoneProps {
  onFiles: (files: File[]) => void
  /** The button's text: "Upload files", "Attach files"… */
  pickLabel: string
  hint?: ReactNode
  /** Content inside the zone (a file list), which then accepts drops as a whole. */
  children?: ReactNode
}

/**
 * Files by drag and drop or by the system picker (the picker is the keyboard way in). @mantine/dropzone
 * is not a dependency, and this needs only the HTML5 drag events.
 */
export function FileDropZone({ onFiles, pickLabel, hint, children }: FileDropZoneProps) {
  const [depth, setDepth] = useState(0)
  const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files')
  return (
    <Box
      className={`${classes.zone} ${depth > 0 ? classes.active : ''}`}
      p="xs"
      onDragEnter={(event) => {
        if (!hasFiles(event)) return
        event.preventDefault()
        setDepth((d) => d + 1)
      }}
      onDragOver={(event) => {
        if (hasFiles(event)) event.preventDefault()
      }}
      onDragLeave={() => setDepth((d) => Math.max(0, d - 1))}
      onDrop={(event) => {
        if (!hasFiles(event)) return
        event.preventDefault()
        setDepth(0)
        const files = [...event.dataTransfer.files]
        if (files.length > 0) onFiles(files)
      }}
    >
      <Group gap="sm" justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {depth > 0 ? 'Drop to add the files' : (hint ?? 'Drop files here, or')}
        </Text>
        <FileButton onChange={(files) => files.length > 0 && onFiles(files)} multiple>
          {(props) => (
            <Button {...props} variant="default" leftSection={<IconUpload size={14} />}>
              {pickLabel}
            </Button>
          )}
        </FileButton>
      </Group>
      {children}
    </Box>
  )
}
