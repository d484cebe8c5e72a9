import { sqliteEngine } from './engines/sqlite'

export const dataEngines = [sqliteEngine]
export * from './base'
