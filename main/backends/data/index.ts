import { mysqlEngine } from './engines/mysql'
import { oracleEngine } from './engines/oracle'
import { postgresqlEngine } from './engines/postgresql'
import { sqliteEngine } from './engines/sqlite'

export const dataEngines = [sqliteEngine, postgresqlEngine, mysqlEngine, oracleEngine]
export * from './base'
