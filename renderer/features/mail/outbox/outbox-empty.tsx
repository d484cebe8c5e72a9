import { Button, Code } from '@mantine/core'
import { IconMailOff, IconSearchOff } from '@tabler/icons-react'
import type { CaptureStatusView } from '../../../../main/api/contract'
import { EmptyMessage } from '../../../components/empty-message'
import { CaptureInstructions } from './capture-instructions'
import { splitAddress } from './capture-snippets'

/** The empty outbox: where to send mail so it lands here (or why nothing can arrive right now). */
export function NoMailYet({ status }: { status: CaptureStatusView | undefined }) {
  const listening = status?.state === 'running' && status.port !== null ? { host: splitAddress(status.address ?? '')?.host ?? '127.0.0.1', port: status.port } : null
  return (
    <EmptyMessage icon={<IconMailOff size={22} />} title="No mail yet" details={listening && <CaptureInstructions host={listening.host} port={listening.port} />}>
      {listening ? 'Mail your application sends to the capture server shows up here at once.' : 'Nothing can arrive while the capture server is not running (see above).'}
    </EmptyMessage>
  )
}

export function NoSearchResults({ query, onClear }: { query: string; onClear: () => void }) {
  return (
    <EmptyMessage
      icon={<IconSearchOff size={22} />}
      title="No messages match"
      actions={
        <Button variant="light" onClick={onClear}>
          Clear the search
        </Button>
      }
    >
      Nothing in this outbox matches <Code>{query}</Code>. Check the spelling, or try fewer words.
    </EmptyMessage>
  )
}
