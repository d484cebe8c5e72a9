import type { Database } from '../../main/backends/data/base'
import { dataSuite, type DataDialect } from '../../main/backends/contracts'
import { contractTests } from '../support/contract-tests'

/** The shipped data suite for one engine; `dialect` gives the DDL that differs between servers. */
export function dataContract(name: string, make: (options?: { readOnly?: boolean }) => Promise<Database>, dialect: DataDialect): void {
  contractTests(name, dataSuite, { make, dialect })
}
