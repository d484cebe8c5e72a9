import { consoleEngine } from './engines/console'
import { dummyEngine } from './engines/dummy'
import { fileEngine } from './engines/file'
import { memoryEngine } from './engines/memory'
import { outboxEngine } from './engines/outbox'
import { smtpEngine } from './engines/smtp'

export const mailEngines = [outboxEngine, smtpEngine, consoleEngine, fileEngine, memoryEngine, dummyEngine]
export * from './base'
export { memoryOutboxOf, type SentMessage } from './engines/memory'
