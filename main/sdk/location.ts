import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Where `import 'backplane/engine'` leads, so that it is the very module graph this process runs: the
 * TypeScript entry beside this file when Backplane runs from its sources (a checkout, through tsx), the
 * bundle's `out/main/sdk.js` (which shares its chunks with the app's own entries) when it runs built.
 * This module is deliberately not the SDK itself: the app knows where the SDK is without loading it.
 */
export function sdkEntryUrl(): string | undefined {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.ts')) return pathToFileURL(join(dirname(here), 'index.ts')).href
  // Bundled, this code sits in out/main/cli.js, out/main/electron.js or a chunk below out/main.
  for (const dir of [dirname(here), dirname(dirname(here))]) {
    const entry = join(dir, 'sdk.js')
    if (existsSync(entry)) return pathToFileURL(entry).href
  }
  return undefined
}
