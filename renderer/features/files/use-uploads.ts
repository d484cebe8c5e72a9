import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ApiError } from '../../api/api-error'
import { useApiClient } from '../../api/hooks'
import { MAX_INLINE_BYTES, readFileBase64 } from '../../components/read-file-base64'
import { ErrorCode } from '../../../main/api/contract'

export interface Upload {
  id: number
  /** The name asked for (folder + file name). */
  name: string
  size: number
  phase: 'waiting' | 'reading' | 'sending' | 'done' | 'failed'
  /** 0…1 while reading the file; sending has no progress of its own (one API call). */
  progress: number
  /** What the storage actually used: like Django's Storage.save(), a taken name gets a free alternative. */
  storedName?: string
  error?: ApiError
}

let nextId = 1

/** Uploads one file after another (bounded memory: each is base64 in a single call), tracking each one. */
export function useUploads(alias: string) {
  const client = useApiClient()
  const queryClient = useQueryClient()
  const [uploads, setUploads] = useState<Upload[]>([])
  const update = (id: number, patch: Partial<Upload>) => setUploads((list) => list.map((u) => (u.id === id ? { ...u, ...patch } : u)))

  const upload = async (files: readonly File[], folder: string) => {
    const batch = files.map((file) => ({ file, entry: { id: nextId++, name: folder ? `${folder}/${file.name}` : file.name, size: file.size, phase: 'waiting' as const, progress: 0 } }))
    setUploads((list) => [...batch.map((b) => b.entry), ...list])
    for (const { file, entry } of batch) {
      if (file.size > MAX_INLINE_BYTES) {
        update(entry.id, { phase: 'failed', error: new ApiError({ code: ErrorCode.E_TOO_LARGE, message: `${file.name} is larger than 8 MiB.`, hint: 'Files this big need the transfer queue, which this screen does not offer yet.' }) })
        continue
      }
      try {
        update(entry.id, { phase: 'reading' })
        const contentBase64 = await readFileBase64(file, (progress) => update(entry.id, { progress }))
        update(entry.id, { phase: 'sending', progress: 1 })
        const { name } = await client.call('storage.save', { alias, name: entry.name, contentBase64 })
        update(entry.id, { phase: 'done', storedName: name })
      } catch (error) {
        update(entry.id, { phase: 'failed', error: ApiError.from(error) })
      }
      void queryClient.invalidateQueries({ queryKey: ['storage.list'] })
    }
  }

  const clearFinished = () => setUploads((list) => list.filter((u) => u.phase !== 'done' && u.phase !== 'failed'))
  return { uploads, upload, clearFinished }
}
