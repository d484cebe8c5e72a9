import { redact } from './redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface LogRecord {
  level: LogLevel
  scope: string
  message: string
  time: string
}

export type LogSink = (record: LogRecord) => void

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  child(scope: string): Logger
}

/** A log message longer than this is cut: a 1 MB input must not write 1 MB of log per request. */
export const MAX_LOG_MESSAGE = 4000

/**
 * One record is one line: line breaks and other control characters (NUL included) are written as
 * escapes, so input that reaches a message cannot forge a line of its own. A stack trace stays
 * readable as "\n"-joined text on that one line.
 */
export function escapeLogText(text: string, alreadyCut = 0): string {
  let out = ''
  let i = 0
  // Escaped first, then cut, so what is written stays within the limit however much the escapes add.
  for (; i < text.length && out.length < MAX_LOG_MESSAGE; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) out += text[i]! + text[++i]! // never half an emoji
    else out += text[i]
  }
  const rest = text.length - i + alreadyCut
  return rest > 0 ? `${out}… (${rest} more characters)` : out
}

const ESCAPES: Partial<Record<number, string>> = { 10: '\\n', 13: '\\r', 9: '\\t' }

/** Writes to stderr by default; every message is redacted (no secret reaches a log), escaped and capped. */
export function createLogger(
  scope = 'backplane',
  options: { level?: LogLevel; sink?: LogSink } = {},
): Logger {
  const threshold = ORDER[options.level ?? (process.env.BACKPLANE_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? 20
  const sink: LogSink =
    options.sink ?? ((r) => process.stderr.write(`${r.time} ${r.level.padEnd(5)} [${r.scope}] ${r.message}\n`))
  const write = (level: LogLevel, message: string) => {
    if (ORDER[level] < threshold) return
    // Redact before cutting, so a secret that straddles the cut is still recognised; but only so much of
    // a huge message as could be written, so masking it costs no more than writing it.
    const kept = message.length > 2 * MAX_LOG_MESSAGE ? message.slice(0, 2 * MAX_LOG_MESSAGE) : message
    sink({ level, scope: escapeLogText(redact(scope)), message: escapeLogText(redact(kept), message.length - kept.length), time: new Date().toISOString() })
  }
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
    child: (child) => createLogger(`${scope}:${child}`, { ...options, sink }),
  }
}
