import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const builtIndex = join(root, 'out', 'renderer', 'index.html')
/** The rest of the build, which the Electron smoke test launches. */
const otherOutputs = [join(root, 'out', 'main', 'electron.js'), join(root, 'out', 'preload', 'preload.cjs')]
/** What the renderer bundle is built from: its own sources and the contract it imports. */
const SOURCES = ['renderer', 'main/api/contract', 'main/core/schemas'].map((dir) => join(root, dir))

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/**
 * The E2E tests drive the built GUI that `backplane serve` sends, so build it first when it is
 * missing or older than its sources; a stale bundle would test yesterday's GUI.
 */
export default function setup(): void {
  const built = existsSync(builtIndex) && otherOutputs.every((file) => existsSync(file)) ? statSync(builtIndex).mtimeMs : 0
  const sources = Math.max(...SOURCES.filter((dir) => existsSync(dir)).map(newestMtime))
  if (built >= sources) return
  process.stdout.write(`e2e: ${built === 0 ? 'the build is missing' : 'the built renderer is older than its sources'}; running electron-vite build\n`)
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`)
}
