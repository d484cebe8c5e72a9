/**
 * In a browser tab (serve mode) the page shows the notifications itself and needs the browser's
 * permission, asked for only when the user turns notifications on (browsers ignore or punish a
 * request that does not follow a click). The desktop app notifies from its main process instead.
 */
export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported'
  if (Notification.permission !== 'default') return Notification.permission
  try {
    return await Notification.requestPermission()
  } catch {
    return 'denied'
  }
}
