import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
/** What the tests run: the GUI, the bundled CLI that serves it (what `npm start` runs), the Electron entry. */
const OUTPUTS = [join(root, 'out', 'renderer', 'index.html'), join(root, 'out', 'main', 'cli.js'), join(root, 'out', 'main', 'electron.js'), join(root, 'out', 'preload', 'preload.cjs')]
const SOURCES = ['renderer', 'main', 'preload'].map((dir) => join(root, dir))

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/**
 * The E2E tests drive the build, as users run it, so build first when it is missing or older than its
 * sources; a stale bundle would test yesterday's app.
 */
export default function setup(): void {
  const built = OUTPUTS.every((file) => existsSync(file)) ? Math.min(...OUTPUTS.map((file) => statSync(file).mtimeMs)) : 0
  const sources = Math.max(...SOURCES.filter((dir) => existsSync(dir)).map(newestMtime))
  if (built >= sources) return
  process.stdout.write(`e2e: ${built === 0 ? 'the build is missing' : 'the build is older than its sources'}; running electron-vite build\n`)
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`)
}
