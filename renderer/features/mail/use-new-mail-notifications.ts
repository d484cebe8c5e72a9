import { useApiClient, useApiEvent, useApiQuery } from '../../api/hooks'

/**
 * A desktop notification per captured message while "notify" is on, for the browser tab of serve
 * mode only: the desktop app shows its own from the main process, and two would be one too many.
 * Clicking one brings the tab forward with that message open.
 */
export function useNewMailNotifications(): void {
  const { transport } = useApiClient()
  const inBrowser = transport.kind === 'socket'
  const settings = useApiQuery('outbox.settings', {}, { enabled: inBrowser })
  useApiEvent('outbox.received', (message) => {
    if (!inBrowser || !settings.data?.notify || typeof Notification === 'undefined' || Notification.permission !== 'granted') return
    const notification = new Notification(message.subject || '(no subject)', { body: message.from ? `From ${message.from}` : 'New mail in the outbox', tag: `backplane-mail-${message.id}` })
    notification.onclick = () => {
      window.focus()
      window.location.hash = `#/mail?message=${message.id}`
      notification.close()
    }
  })
}
