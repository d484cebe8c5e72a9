import { authSuite, type AuthTestBed } from '../../main/backends/contracts'
import { contractTests } from '../support/contract-tests'

export type AuthFixture = Required<Pick<AuthTestBed, 'backend' | 'addUser'>> & { cleanup(): Promise<void> }

/** The shipped auth suite for one engine; `make` gives a backend and a way to put users where it looks. */
export function authContract(name: string, make: () => Promise<AuthFixture>): void {
  contractTests(name, authSuite, { make })
}
