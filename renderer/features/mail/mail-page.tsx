import { Tabs } from '@mantine/core'
import { IconInbox, IconSend, IconSettings } from '@tabler/icons-react'
import { useSearchParams } from 'react-router'
import { PageHeader } from '../../components/page-header'
import { CaptureSettingsPanel } from './capture/capture-settings-panel'
import { OutboxView } from './outbox/outbox-view'
import { SendTestPanel } from './send-test-panel'

const VIEWS = ['outbox', 'send', 'capture'] as const
type View = (typeof VIEWS)[number]

/**
 * The outbox first (what the app under test sent), then sending a test message and the capture
 * server's settings. The view is in the address (`#/mail?view=send`) so a reload keeps it;
 * `#/mail?message=ID` opens one message (where a new-mail notification leads).
 */
export function MailPage() {
  const [params, setParams] = useSearchParams()
  const requested = params.get('view')
  const view: View = VIEWS.find((v) => v === requested) ?? 'outbox'
  const choose = (next: string | null) => setParams(next && next !== 'outbox' ? { view: next } : {}, { replace: true })
  const asked = Number(params.get('message'))
  const openMessage = Number.isSafeInteger(asked) && asked > 0 ? asked : null
  return (
    <>
      <PageHeader title="Mail" description="Every message your application sends to the capture server, a test message through any mail alias, and where mail is captured." />
      <Tabs value={view} onChange={choose} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="outbox" leftSection={<IconInbox size={14} />}>
            Outbox
          </Tabs.Tab>
          <Tabs.Tab value="send" leftSection={<IconSend size={14} />}>
            Send test
          </Tabs.Tab>
          <Tabs.Tab value="capture" leftSection={<IconSettings size={14} />}>
            Capture settings
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="outbox">
          <OutboxView onOpenCaptureSettings={() => choose('capture')} openMessage={openMessage} onMessageOpened={() => setParams({}, { replace: true })} />
        </Tabs.Panel>
        <Tabs.Panel value="send">
          <SendTestPanel />
        </Tabs.Panel>
        <Tabs.Panel value="capture">
          <CaptureSettingsPanel />
        </Tabs.Panel>
      </Tabs>
    </>
  )
}
