import { useState } from 'react'
import { MAX_INLINE_BYTES, readFileBase64 } from '../../../components/read-file-base64'

export interface Attachment {
  id: number
  filename: string
  contentType: string
  size: number
  /** Set once the file is read; sending waits for every attachment to be ready. */
  contentBase64?: string
  progress: number
  error?: string
}

let nextId = 1

/** Files attached by picker or drop, read to base64 as they arrive (with progress) so Send is instant. */
export function useAttachments() {
  const [attachments, setAttachments] = useState<Attachment[]>([])
  const update = (id: number, patch: Partial<Attachment>) => setAttachments((list) => list.map((a) => (a.id === id ? { ...a, ...patch } : a)))

  const add = (files: readonly File[]) => {
    for (const file of files) {
      const attachment: Attachment = { id: nextId++, filename: file.name, contentType: file.type || 'application/octet-stream', size: file.size, progress: 0 }
      setAttachments((list) => [...list, attachment])
      if (file.size > MAX_INLINE_BYTES) {
        update(attachment.id, { error: 'Larger than 8 MiB: too big to send from here.' })
        continue
      }
      readFileBase64(file, (progress) => update(attachment.id, { progress })).then(
        (contentBase64) => update(attachment.id, { contentBase64, progress: 1 }),
        (error: unknown) => update(attachment.id, { error: `Could not read it: ${String(error)}` }),
      )
    }
  }

  const remove = (id: number) => setAttachments((list) => list.filter((a) => a.id !== id))
  const ready = attachments.every((a) => a.contentBase64 !== undefined || a.error !== undefined)
  return { attachments, add, remove, ready, reset: () => setAttachments([]) }
}
