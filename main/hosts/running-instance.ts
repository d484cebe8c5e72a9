import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../core/atomic-write'
import { isLoopback } from '../core/loopback'

/**
 * `instance.json` in the data directory: which process serves it and where its API listens, so that
 * `backplane call` and `check` talk to the running app (its in-process cache, its outbox) instead of
 * opening a second one. It holds no token: a client reads the token the way the server keeps it.
 */
export const INSTANCE_FILE = 'instance.json'

export interface RunningInstance {
  pid: number
  /** The API's base URL, e.g. http://127.0.0.1:4025/. */
  url: string
  host: 'serve' | 'electron'
  startedAt: string
}

export async function announceInstance(dataDir: string, instance: Omit<RunningInstance, 'pid' | 'startedAt'>): Promise<() => Promise<void>> {
  const file = join(dataDir, INSTANCE_FILE)
  const record: RunningInstance = { pid: process.pid, startedAt: new Date().toISOString(), ...instance }
  await writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n', 0o600)
  return async () => {
    // Only our own record: a second server that started since owns the file now.
    try {
      if ((JSON.parse(await readFile(file, 'utf8')) as Partial<RunningInstance>).pid === process.pid) await rm(file, { force: true })
    } catch {
      // Already gone, or not ours to remove.
    }
  }
}

/** The instance serving this data directory, or undefined when there is none (or its process is gone). */
export async function findRunningInstance(dataDir: string): Promise<RunningInstance | undefined> {
  let record: Partial<RunningInstance>
  try {
    record = JSON.parse(await readFile(join(dataDir, INSTANCE_FILE), 'utf8')) as Partial<RunningInstance>
  } catch {
    return undefined
  }
  if (typeof record.pid !== 'number' || typeof record.url !== 'string' || !isAlive(record.pid)) return undefined
  // Only a loopback http URL: the token is sent there, so a record naming another host is not followed.
  if (!URL.canParse(record.url)) return undefined
  const url = new URL(record.url)
  if (url.protocol !== 'http:' || !isLoopback(url.hostname)) return undefined
  return record as RunningInstance
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    // ESRCH: gone. EPERM: alive but another user's, so a reused PID, not the server of our data directory.
    return false
  }
}
