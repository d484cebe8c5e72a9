import { Box } from '@mantine/core'

interface SparklineProps {
  points: readonly { at: number; value: number }[]
  /** The time window drawn, so charts of one panel share an x axis. */
  from: number
  to: number
  label: string
  width?: number
  height?: number
  /** A Mantine color name; the theme gives its light and dark shades. */
  color?: string
  /** Ratios are drawn on 0..1, not stretched to their own range. */
  unitRange?: boolean
}

/** A small line chart in inline SVG (no chart library): the shape of the last minutes, not exact readings. */
export function Sparkline({ points, from, to, label, width = 220, height = 44, color = 'blue', unitRange }: SparklineProps) {
  const span = Math.max(1, to - from)
  const values = points.map((p) => p.value)
  const low = unitRange ? 0 : Math.min(0, ...values)
  const high = unitRange ? 1 : Math.max(...values, low + 1e-9)
  const x = (at: number) => ((at - from) / span) * width
  const y = (value: number) => height - 2 - ((value - low) / (high - low)) * (height - 4)
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')
  const first = points[0]
  const last = points.at(-1)
  const area = first && last ? `${line} L${x(last.at).toFixed(1)},${height} L${x(first.at).toFixed(1)},${height} Z` : ''
  const stroke = `var(--mantine-color-${color}-filled)`
  return (
    <Box component="svg" role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width="100%" height={height} preserveAspectRatio="none" display="block">
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="var(--mantine-color-default-border)" />
      {area && <path d={area} fill={stroke} fillOpacity={0.15} stroke="none" />}
      {points.length > 1 && <path d={line} fill="none" stroke={stroke} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />}
      {last && <circle cx={x(last.at)} cy={y(last.value)} r={2} fill={stroke} />}
    </Box>
  )
}
