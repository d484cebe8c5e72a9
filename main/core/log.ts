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

/** Writes to stderr by default; every line goes through redact() so no secret reaches a log. */
export function createLogger(
  scope = 'backplane',
  options: { level?: LogLevel; sink?: LogSink } = {},
): Logger {
  const threshold = ORDER[options.level ?? (process.env.BACKPLANE_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? 20
  const sink: LogSink =
    options.sink ?? ((r) => process.stderr.write(`${r.time} ${r.level.padEnd(5)} [${r.scope}] ${r.message}\n`))
  const write = (level: LogLevel, message: string) => {
    if (ORDER[level] < threshold) return
    sink({ level, scope, message: redact(message), time: new Date().toISOString() })
  }
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
    child: (child) => createLogger(`${scope}:${child}`, { ...options, sink }),
  }
}
