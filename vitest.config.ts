import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

// Custom engines import the SDK by its public name; under vitest it is the TypeScript entry itself, the
// same module graph the tests import (in the app, a Node module hook does this: main/core/engine-loader.ts).
const alias = { 'backplane/engine': resolve(import.meta.dirname, 'main/sdk/index.ts') }

// One run, two projects: unit/integration tests beside the code (plain Node, real services when the
// testbed is up) and the E2E suite driving Debian's Chromium against `backplane serve`.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['main/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.ts', 'renderer/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['e2e/global-setup.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
