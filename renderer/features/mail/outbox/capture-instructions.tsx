import { Code, Stack, Tabs, Text } from '@mantine/core'
import { CodeBlock } from '../../../components/code-block'
import { captureSnippets, connectHost } from './capture-snippets'

/** How to point an application at the capture server, with the host and port it really listens on. */
export function CaptureInstructions({ host, port }: { host: string; port: number }) {
  const snippets = captureSnippets(connectHost(host), port)
  return (
    <Stack gap={6} ta="left" maw={560} mx="auto" aria-label="How to send mail here">
      <Text size="sm">
        Point your application's SMTP settings at <Code aria-label="Capture server URL">{snippets.url}</Code> (no TLS, no login needed unless you turn them on in the capture settings).
      </Text>
      <Tabs defaultValue="django" variant="outline">
        <Tabs.List>
          <Tabs.Tab value="django">Django</Tabs.Tab>
          <Tabs.Tab value="nodemailer">Node (nodemailer)</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="django" pt={6}>
          <CodeBlock label="Django settings">{snippets.django}</CodeBlock>
        </Tabs.Panel>
        <Tabs.Panel value="nodemailer" pt={6}>
          <CodeBlock label="nodemailer transport">{snippets.nodemailer}</CodeBlock>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}
