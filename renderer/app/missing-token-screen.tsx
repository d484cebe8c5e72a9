import { Center, Code, Paper, Stack, Text, Title } from '@mantine/core'
import { IconLock } from '@tabler/icons-react'

/**
 * Serve mode opened without its token (a bookmark, a typed address): nothing can be called, so say
 * plainly which URL to open instead of showing a broken app.
 */
export function MissingTokenScreen() {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" maw={560} radius="md">
        <Stack gap="sm">
          <IconLock size={32} aria-hidden />
          <Title order={1}>Open the address Backplane printed</Title>
          <Text>
            This page needs the access token that <Code>backplane serve</Code> prints when it starts, as part of its address:
          </Text>
          <Code block>Backplane is serving on http://127.0.0.1:4025/?token=…</Code>
          <Text c="dimmed">
            Open that whole URL (with <Code>?token=</Code>). The token keeps other web pages and other users on this machine from using your backends. Set{' '}
            <Code>BACKPLANE_TOKEN</Code> to keep the same token across restarts.
          </Text>
        </Stack>
      </Paper>
    </Center>
  )
}
