// better-sqlite3 in node_modules is built for plain Node (tests and serve mode use it). Electron has
// another ABI, so for the desktop app a second copy is built against Electron's headers, once per
// Electron version, into .cache/ — node_modules is never rebuilt in place.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

export async function prepareElectronSqlite(root) {
  const version = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
  const target = join(root, '.cache/electron-native', `${version}-${process.arch}`, 'better_sqlite3.node')
  if (existsSync(target)) return { binding: target }
  const work = join(root, '.cache/electron-native/build')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  cpSync(join(root, 'node_modules/better-sqlite3'), work, { recursive: true, filter: (src) => !src.includes(`${'/'}build${'/'}`) })
  console.log(`Building SQLite for Electron ${version} (once)…`)
  const gyp = spawnSync('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], {
    cwd: work,
    stdio: 'inherit',
  })
  if (gyp.status !== 0) return { reason: 'node-gyp could not build better-sqlite3 against Electron headers' }
  mkdirSync(join(target, '..'), { recursive: true })
  cpSync(join(work, 'build/Release/better_sqlite3.node'), target)
  rmSync(work, { recursive: true, force: true })
  return { binding: target }
}
