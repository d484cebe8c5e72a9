import { describe, expect, it } from 'vitest'
import { ProgressMeter } from './progress-meter'

describe('a progress meter', () => {
  it('measures the speed over the last few seconds and the time left from it', () => {
    let now = 0
    const meter = new ProgressMeter(100_000_000, 1, () => now)
    // Ten seconds at 1 MB/s, then five at 4 MB/s: the speed follows the new pace, not the average.
    for (let t = 0; t < 10_000; t += 250) {
      now += 250
      meter.add(250_000)
    }
    expect(meter.bytesPerSecond).toBe(1_000_000)
    for (let t = 0; t < 5_000; t += 250) {
      now += 250
      meter.add(1_000_000)
    }
    expect(meter.bytesPerSecond).toBeGreaterThan(3_500_000)
    expect(meter.bytesDone).toBe(30_000_000)
    expect(meter.secondsLeft).toBe(Math.ceil(70_000_000 / meter.bytesPerSecond))
    meter.bytesTotal = null
    expect(meter.secondsLeft).toBeNull()
  })

  it('takes back the bytes of a file that failed', () => {
    let now = 0
    const meter = new ProgressMeter(null, null, () => now)
    now = 1000
    meter.add(500)
    meter.undo(300)
    expect(meter.bytesDone).toBe(200)
    expect(meter.bytesPerSecond).toBe(0)
  })
})
