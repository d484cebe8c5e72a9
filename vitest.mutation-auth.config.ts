// The unit tests that guard the auth kind's security modules (stryker.auth.json): no services.
import { defineConfig } from 'vitest/config'
export default defineConfig({
  test: { include: ['main/backends/auth/engines/ldap-escape.test.ts', 'main/backends/auth/hashers/encoded-fields.test.ts', 'main/backends/auth/hashers/hashers.test.ts'], environment: 'node', pool: 'forks', testTimeout: 60_000 },
})
