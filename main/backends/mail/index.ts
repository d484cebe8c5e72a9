import { outboxEngine } from './engines/outbox'

export const mailEngines = [outboxEngine]
export * from './base'
