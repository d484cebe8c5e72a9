// The unit tests that guard the storage kind's security modules (stryker.storage.json): no services but Django for the naming tests.
import { defineConfig } from 'vitest/config'
export default defineConfig({
  test: {
    include: [
      'main/backends/storage/base.test.ts',
      'main/backends/storage/django-names.test.ts',
      'main/backends/storage/engines/filesystem-traversal.test.ts',
      'main/backends/storage/attack-fs-names.test.ts',
      'main/services/storage-transfers/route-path.test.ts',
      'main/services/storage-transfers/http-ranges.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
  },
})
