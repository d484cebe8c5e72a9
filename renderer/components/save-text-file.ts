/**
 * Hands a Blob to the user as a download: a Blob URL on a temporary link, released a moment later.
 * Works the same in a browser tab and in Electron.
 */
export function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the download in some browsers; a moment later it is safe.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Text made in the main process (an export) as a download. */
export function saveTextFile(filename: string, text: string, contentType = 'text/plain'): void {
  saveBlob(filename, new Blob([text], { type: contentType }))
}
