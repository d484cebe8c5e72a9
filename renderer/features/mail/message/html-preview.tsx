import { Button, Group, SegmentedControl, Text } from '@mantine/core'
import { IconPhoto, IconShieldCheck } from '@tabler/icons-react'
import { useState } from 'react'
import { mailHtmlUrl } from '../../../api/client'
import { useApiClient } from '../../../api/hooks'
import { useFillHeight } from '../../../components/use-fill-height'

export type PreviewWidth = 'phone' | 'tablet' | 'desktop'

const WIDTHS: Record<PreviewWidth, string> = { phone: '375px', tablet: '768px', desktop: '100%' }

interface HtmlPreviewProps {
  id: number
  /** Remote images, fonts and stylesheets the message refers to (from inspectHtml). */
  remoteResources: readonly string[]
  width: PreviewWidth
  onWidthChange: (width: PreviewWidth) => void
}

/**
 * The message's HTML as its own document (GET /mail-html/<id>, served with a CSP of its own), in an
 * iframe sandbox that allows popups only, so links open outside:
 * - no allow-scripts: a captured message is untrusted content; its scripts never run (the CSP
 *   says the same, twice is on purpose).
 * - no allow-same-origin: the document gets an opaque origin, so even a sandbox escape in the
 *   browser would not give it the GUI's origin, its API token or its storage. Nothing here needs to
 *   reach into the frame: links and remote images are read from the HTML text with DOMParser.
 * Remote images stay blocked (the CSP allows data: only) until the user asks, per message; a
 * remote image is a read receipt to whoever sent it.
 */
export function HtmlPreview({ id, remoteResources, width, onWidthChange }: HtmlPreviewProps) {
  const client = useApiClient()
  const [allowRemote, setAllowRemote] = useState(false)
  const remoteCount = remoteResources.length
  // The message gets all the height left in the window, as in a mail client, not a fixed box.
  const { ref, height } = useFillHeight<HTMLDivElement>()
  return (
    <div ref={ref} style={{ display: 'flex', flexDirection: 'column', height, minHeight: 0 }}>
      <Group justify="space-between" gap="xs" mb={6} wrap="wrap">
        <SegmentedControl
          size="xs"
          aria-label="Preview width"
          value={width}
          onChange={(value) => onWidthChange(value as PreviewWidth)}
          data={[
            { value: 'phone', label: 'Phone 375' },
            { value: 'tablet', label: 'Tablet 768' },
            { value: 'desktop', label: 'Desktop' },
          ]}
        />
        {remoteCount > 0 &&
          (allowRemote ? (
            <Text size="xs" c="dimmed">
              <IconPhoto size={12} style={{ verticalAlign: -1 }} /> Remote images shown for this message
            </Text>
          ) : (
            <Group gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed">
                <IconShieldCheck size={12} style={{ verticalAlign: -1 }} /> {remoteCount} remote image{remoteCount === 1 ? '' : 's'} blocked
              </Text>
              <Button size="compact-xs" variant="light" onClick={() => setAllowRemote(true)}>
                Load remote images
              </Button>
            </Group>
          ))}
      </Group>
      <div style={{ flex: 1, minHeight: 0, overflow: 'auto', background: 'var(--mantine-color-default-hover)', borderRadius: 'var(--mantine-radius-sm)' }}>
        <iframe
          title="Message HTML"
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          src={mailHtmlUrl(client, id, allowRemote)}
          // The message's own colours on white whatever the GUI's scheme, as a mail client shows it.
          style={{ display: 'block', width: WIDTHS[width], height: '100%', minHeight: 300, margin: '0 auto', border: '1px solid var(--mantine-color-default-border)', background: '#fff', colorScheme: 'light' }}
        />
      </div>
    </div>
  )
}
