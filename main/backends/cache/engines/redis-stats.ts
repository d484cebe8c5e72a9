import type Redis from 'ioredis'
import type { CacheStats } from '../base'

/** INFO's `name:value` lines, by name (section headers and blank lines left out). */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue
    const colon = line.indexOf(':')
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1))
  }
  return fields
}

/** The counters the live stats chart, from INFO and DBSIZE (the keys of this alias's database only). */
export async function redisStats(client: Redis): Promise<CacheStats> {
  const [info, keys] = await Promise.all([client.info(), client.dbsize()])
  const fields = parseInfo(info)
  const stats: CacheStats = { keys }
  const put = (name: keyof CacheStats, field: string) => {
    const value = Number(fields.get(field))
    if (fields.has(field) && Number.isFinite(value)) stats[name] = value
  }
  put('hits', 'keyspace_hits')
  put('misses', 'keyspace_misses')
  put('operations', 'total_commands_processed')
  put('memoryBytes', 'used_memory')
  put('connections', 'connected_clients')
  put('evictions', 'evicted_keys')
  put('uptimeSeconds', 'uptime_in_seconds')
  // maxmemory 0 means "no limit", which the chart shows by leaving the line out.
  const max = Number(fields.get('maxmemory'))
  if (max > 0) stats.maxMemoryBytes = max
  return stats
}

/** "Redis 7.0.15" (or "Valkey 8.0.1"), for the health report. */
export async function redisVersion(client: Redis): Promise<string> {
  const fields = parseInfo(await client.info('server'))
  const server = fields.get('server_name')
  if (server && server !== 'redis') {
    const version = fields.get(`${server}_version`) ?? fields.get('redis_version') ?? '?'
    return `${server.charAt(0).toUpperCase()}${server.slice(1)} ${version}`
  }
  return `Redis ${fields.get('redis_version') ?? '?'}`
}
