import { saveBlob } from './save-text-file'

/** Bytes that came over the API (as base64) as a download; see saveBlob. */
export function saveBase64File(filename: string, contentBase64: string, contentType = 'application/octet-stream'): void {
  const binary = atob(contentBase64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  saveBlob(filename, new Blob([bytes], { type: contentType }))
}
