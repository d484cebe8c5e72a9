import type { Logger } from './log'

let installed = false

/**
 * A promise that an engine rejects and nobody awaits would end the whole process (Node's default for an
 * unhandled rejection): one custom engine taking the app down with it. Long-running hosts log it
 * instead, and go on serving every other alias.
 */
export function logUnhandledRejections(log: Logger): void {
  if (installed) return
  installed = true
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)
    log.error(`A promise was rejected and nobody handled it (often a custom engine's doing); Backplane goes on: ${text}`)
  })
}
