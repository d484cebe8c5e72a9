/**
 * datetime, date and time as CPython pickles them (the byte state of Modules/_datetimemodule.c's
 * __reduce__) and as the value model shows them: the text of Python's isoformat(), which the writer
 * parses back.
 */

export interface Clock {
  hour: number
  minute: number
  second: number
  microsecond: number
}
export interface Day {
  year: number
  month: number
  day: number
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function validDay({ year, month, day }: Day): boolean {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

function validClock({ hour, minute, second, microsecond }: Clock): boolean {
  return hour < 24 && minute < 60 && second < 60 && microsecond < 1_000_000
}

/** date: 4 bytes, year big-endian, month, day. */
export function dayFromState(state: Uint8Array, at = 0): Day | undefined {
  // The month byte's high bit is datetime's fold (PEP 495, protocol 4 and up).
  const day = { year: ((state[at] as number) << 8) | (state[at + 1] as number), month: (state[at + 2] as number) & 0x7f, day: state[at + 3] as number }
  return validDay(day) ? day : undefined
}

/** time: 6 bytes, hour (fold in its high bit), minute, second, microseconds in 3 bytes big-endian. */
export function clockFromState(state: Uint8Array, at = 0): Clock | undefined {
  const clock = {
    hour: (state[at] as number) & 0x7f,
    minute: state[at + 1] as number,
    second: state[at + 2] as number,
    microsecond: ((state[at + 3] as number) << 16) | ((state[at + 4] as number) << 8) | (state[at + 5] as number),
  }
  return validClock(clock) ? clock : undefined
}

export function dayToState({ year, month, day }: Day): Buffer {
  return Buffer.from([year >> 8, year & 0xff, month, day])
}

export function clockToState({ hour, minute, second, microsecond }: Clock): Buffer {
  return Buffer.from([hour, minute, second, microsecond >> 16, (microsecond >> 8) & 0xff, microsecond & 0xff])
}

export function formatDay({ year, month, day }: Day): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** As time.isoformat(): microseconds only when there are some. */
export function formatClock({ hour, minute, second, microsecond }: Clock): string {
  return `${pad(hour)}:${pad(minute)}:${pad(second)}${microsecond ? `.${pad(microsecond, 6)}` : ''}`
}

/** As timezone's utcoffset in isoformat(): ±HH:MM, then :SS and .ffffff only when not zero. */
export function formatOffset(offsetMicroseconds: number): string {
  const sign = offsetMicroseconds < 0 ? '-' : '+'
  let rest = Math.abs(offsetMicroseconds)
  const microsecond = rest % 1_000_000
  rest = (rest - microsecond) / 1_000_000
  const second = rest % 60
  const minute = ((rest - second) / 60) % 60
  const hour = Math.floor(rest / 3600)
  let text = `${sign}${pad(hour)}:${pad(minute)}`
  if (second || microsecond) text += `:${pad(second)}`
  if (microsecond) text += `.${pad(microsecond, 6)}`
  return text
}

const DAY_PART = /^(\d{4})-(\d{2})-(\d{2})$/
const CLOCK_PART = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?$/
const OFFSET_PART = /(?:Z|[+-](\d{2}):?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?)$/

const fraction = (digits: string | undefined): number => (digits ? Number(digits.padEnd(6, '0')) : 0)

export function parseDay(text: string): Day | undefined {
  const match = DAY_PART.exec(text)
  if (!match) return undefined
  const day = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
  return validDay(day) ? day : undefined
}

/** A time of day with an optional UTC offset (`Z` or ±HH:MM[:SS[.ffffff]]), as fromisoformat() reads it. */
export function parseClock(text: string): { clock: Clock; offsetMicroseconds?: number } | undefined {
  let offsetMicroseconds: number | undefined
  const offset = OFFSET_PART.exec(text)
  if (offset) {
    const sign = offset[0].startsWith('-') ? -1 : 1
    offsetMicroseconds = sign * ((Number(offset[1] ?? 0) * 3600 + Number(offset[2] ?? 0) * 60 + Number(offset[3] ?? 0)) * 1_000_000 + fraction(offset[4]))
    // datetime.timezone takes offsets strictly between -24 h and +24 h.
    if (Math.abs(offsetMicroseconds) >= 86_400_000_000 || Number(offset[2] ?? 0) >= 60 || Number(offset[3] ?? 0) >= 60) return undefined
    text = text.slice(0, offset.index)
  }
  const match = CLOCK_PART.exec(text)
  if (!match) return undefined
  const clock = { hour: Number(match[1]), minute: Number(match[2]), second: Number(match[3] ?? 0), microsecond: fraction(match[4]) }
  if (!validClock(clock)) return undefined
  return offsetMicroseconds === undefined ? { clock } : { clock, offsetMicroseconds }
}

/** `YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][offset]`, or a date alone (midnight), as datetime.fromisoformat() reads it. */
export function parseDateTime(text: string): { day: Day; clock: Clock; offsetMicroseconds?: number } | undefined {
  const day = parseDay(text.slice(0, 10))
  if (!day) return undefined
  if (text.length === 10) return { day, clock: { hour: 0, minute: 0, second: 0, microsecond: 0 } }
  if (text[10] !== 'T' && text[10] !== ' ') return undefined
  const rest = parseClock(text.slice(11))
  return rest && { day, ...rest }
}

/** timedelta(days, seconds, microseconds) as Python normalises it, from a number of seconds. */
export function splitTimedelta(seconds: number): { days: bigint; seconds: number; microseconds: number } {
  const total = BigInt(Math.round(seconds * 1_000_000))
  const perDay = 86_400_000_000n
  let days = total / perDay
  let rest = total % perDay
  if (rest < 0n) {
    rest += perDay
    days -= 1n
  }
  return { days, seconds: Number(rest / 1_000_000n), microseconds: Number(rest % 1_000_000n) }
}
