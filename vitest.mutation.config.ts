import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

// The unit tests that guard the modules Stryker mutates (stryker.config.json): quick, no services, no browser.
export default defineConfig({
  resolve: { alias: { 'backplane/engine': resolve(import.meta.dirname, 'main/sdk/index.ts') } },
  test: {
    include: [
      'main/core/*.test.ts',
      'main/hosts/http/*.test.ts',
      'main/backends/storage/**/*.test.ts',
      'main/api/secrets.test.ts',
      'main/api/engines.test.ts',
      'main/hosts/cli/cli.test.ts',
      'main/core/ssh/known-hosts.test.ts',
      'main/backends/data/*.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
