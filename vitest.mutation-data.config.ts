// The unit tests that guard the data kind's security modules (stryker.data.json): no services, a second each.
import { defineConfig } from 'vitest/config'
export default defineConfig({
  test: { include: ['main/backends/data/sql-text.test.ts', 'main/backends/data/table-sql.test.ts', 'main/core/ssh/known-hosts.test.ts'], environment: 'node', pool: 'forks', testTimeout: 10_000 },
})
