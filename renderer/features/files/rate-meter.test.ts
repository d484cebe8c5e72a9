import { describe, expect, it } from 'vitest'
import { RateMeter } from './rate-meter'

describe('the speed of a transfer', () => {
  it('is measured over the last seconds only, and gives the time left at that speed', () => {
    const meter = new RateMeter()
    expect(meter.bytesPerSecond()).toBe(0)
    expect(meter.secondsLeft(100)).toBeNull()
    // Slow at first, then 1000 B/s: the old samples fall out of the window.
    meter.add(0, 0)
    meter.add(10, 1000)
    for (let t = 2000; t <= 8000; t += 1000) meter.add(10 + (t - 1000), t)
    expect(meter.bytesPerSecond()).toBeCloseTo(1000)
    expect(meter.secondsLeft(17_010)).toBeCloseTo(10)
    expect(meter.secondsLeft(null)).toBeNull()
  })
})
