import type { EventPayload, MethodOutput } from '../../../main/api/contract'

export type StorageEntry = MethodOutput<'storage.list'>['entries'][number]
/** One upload, download, copy, move or zip as the transfers panel shows it. */
export type Transfer = EventPayload<'storage.transfer'>
export type Conflict = 'rename' | 'overwrite' | 'fail'
