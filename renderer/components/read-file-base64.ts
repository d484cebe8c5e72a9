/**
 * A picked or dropped file as base64 (the API carries JSON, so bytes travel as base64), reporting
 * read progress: big files take a moment and the user should see that something is happening.
 */
export function readFileBase64(file: File, onProgress?: (fraction: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onprogress = (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total)
    }
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}.`))
    reader.onload = () => {
      const url = String(reader.result)
      resolve(url.slice(url.indexOf(',') + 1))
    }
    reader.readAsDataURL(file)
  })
}

/** The API's inline limit for one file (storage.save, mail attachments): 8 MiB before base64. */
export const MAX_INLINE_BYTES = 8 * 1024 * 1024
