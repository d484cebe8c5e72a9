import type { MailBackend } from '../../main/backends/mail/base'
import { mailSuite } from '../../main/backends/contracts'
import { contractTests } from '../support/contract-tests'

/** The shipped mail suite for one engine; `delivered` reads back what reached its destination. */
export function mailContract(
  name: string,
  make: (options?: Record<string, unknown>) => Promise<MailBackend>,
  delivered?: () => Promise<string[]>,
  { validatesMessages = true }: { validatesMessages?: boolean } = {},
): void {
  contractTests(name, mailSuite, { make, validatesMessages, ...(delivered ? { delivered } : {}) })
}
