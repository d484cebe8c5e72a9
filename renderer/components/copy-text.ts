/**
 * Text to the clipboard. The async API needs a secure context (serve mode opened by a LAN address over
 * plain HTTP is not one) and may be denied; the old selection-and-copy way, from the same click, is the
 * fallback for both.
 */
export async function copyText(text: string): Promise<void> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text)
      return
    } catch {
      // Denied: try the old way below.
    }
  }
  const area = document.createElement('textarea')
  area.value = text
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.append(area)
  area.select()
  const copied = document.execCommand('copy')
  area.remove()
  if (!copied) throw new Error('The browser did not allow copying.')
}
