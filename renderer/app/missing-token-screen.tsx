import { Alert, Center, Code, Paper, Stack, Text, Title } from '@mantine/core'
import { IconLock } from '@tabler/icons-react'

/**
 * Serve mode in a browser that is not signed in (never opened the printed URL, signed out, or the
 * server was given a new token): nothing can be called, so say plainly which URL to open instead of
 * showing a broken app.
 */
export function MissingTokenScreen() {
  const refused = new URLSearchParams(window.location.search).get('signin') === 'refused'
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" maw={560} radius="md">
        <Stack gap="sm">
          <IconLock size={32} aria-hidden />
          <Title order={1}>Open the address Backplane printed</Title>
          {refused && (
            <Alert color="red" role="alert" title="That token is not this server's">
              The address had a token this Backplane does not accept: an old one (it was started with <Code>--new-token</Code> or another <Code>BACKPLANE_TOKEN</Code>), or a
              mistyped one.
            </Alert>
          )}
          <Text>
            This page needs the access token that <Code>backplane serve</Code> prints when it starts, as part of its address:
          </Text>
          <Code block>Backplane is serving on http://127.0.0.1:4025/?token=…</Code>
          <Text c="dimmed">
            Open that whole URL (with <Code>?token=</Code>) once: this browser then stays signed in, across reloads, bookmarks, tabs and restarts of Backplane, until you sign
            out or start it with <Code>--new-token</Code>. The token keeps other web pages and other users on this machine from using your backends; it is kept in the
            data directory, readable by you only.
          </Text>
        </Stack>
      </Paper>
    </Center>
  )
}
