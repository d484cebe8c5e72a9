#!/usr/bin/env node
// The `backplane` command. From a checkout it runs the TypeScript sources through tsx, so it is
// never stale; a packaged build (no sources beside it) runs the bundle in out/main.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'main', 'hosts', 'cli', 'main.ts')
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(source).href)
} else {
  await import(pathToFileURL(join(root, 'out', 'main', 'cli.js')).href)
}
