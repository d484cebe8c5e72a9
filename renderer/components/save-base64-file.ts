/**
 * Hands bytes that came over the API (as base64) to the user as a download: a Blob URL on a
 * temporary link, released right after. Works the same in a browser tab and in Electron.
 */
export function saveBase64File(filename: string, contentBase64: string, contentType = 'application/octet-stream'): void {
  const binary = atob(contentBase64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }))
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
