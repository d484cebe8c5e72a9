import { Box } from '@mantine/core'
import { formatMs } from '../../../components/format'

interface Bucket {
  upToMs: number
  count: number
}

const WIDTH = 320
const HEIGHT = 90
const AXIS = 14

/**
 * Operations by latency as SVG bars, one per bucket (the buckets grow geometrically, so the x axis
 * reads as a log scale); each bar's title says its range and count.
 */
export function LatencyHistogram({ buckets, label = 'Latency histogram' }: { buckets: readonly Bucket[]; label?: string }) {
  if (buckets.length === 0) return null
  const max = Math.max(...buckets.map((b) => b.count), 1)
  const slot = WIDTH / buckets.length
  const bar = Math.max(1, slot - (slot > 4 ? 1 : 0))
  const plot = HEIGHT - AXIS
  const ticks = [0, Math.floor((buckets.length - 1) / 2), buckets.length - 1].filter((v, i, all) => all.indexOf(v) === i)
  return (
    <Box component="svg" role="img" aria-label={label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" height={HEIGHT} preserveAspectRatio="none" display="block">
      <line x1={0} x2={WIDTH} y1={plot + 0.5} y2={plot + 0.5} stroke="var(--mantine-color-default-border)" />
      {buckets.map((bucket, i) => {
        const height = bucket.count === 0 ? 0 : Math.max(1, (bucket.count / max) * (plot - 2))
        const from = i === 0 ? 0 : buckets[i - 1]!.upToMs
        return (
          <rect key={bucket.upToMs} data-bucket x={i * slot} y={plot - height} width={bar} height={height} fill="var(--mantine-color-blue-filled)" fillOpacity={0.8}>
            <title>{`${formatMs(from)} – ${formatMs(bucket.upToMs)}: ${bucket.count.toLocaleString('en')} operations`}</title>
          </rect>
        )
      })}
      {ticks.map((i) => (
        <text key={i} x={Math.min(WIDTH - 2, Math.max(2, i * slot + bar / 2))} y={HEIGHT - 2} fontSize={9} fill="var(--mantine-color-dimmed)" textAnchor={i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle'}>
          {formatMs(buckets[i]!.upToMs)}
        </text>
      ))}
    </Box>
  )
}
