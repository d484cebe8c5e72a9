import { ldapEngine } from './engines/ldap'
import { modelEngine } from './engines/model'

export const authEngines = [modelEngine, ldapEngine]
export * from './base'
export * from './chain'
