import { modelEngine } from './engines/model'

export const authEngines = [modelEngine]
export * from './base'
export * from './chain'
