#!/usr/bin/env node
// `npm start`: build, then open the desktop app where Electron's binary can be had; otherwise serve
// the same GUI on loopback and open it in the browser, saying so in one line.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { prepareElectronSqlite } from './electron-native.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts })

if (run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn']).status !== 0) {
  console.error('The build failed; see above.')
  process.exit(1)
}

const electron = findElectron()
if (electron.path) {
  const sqlite = await prepareElectronSqlite(root, electron.path)
  if (sqlite.binding) {
    const child = spawn(electron.path, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: { ...process.env, BACKPLANE_SQLITE_BINDING: sqlite.binding } })
    child.on('exit', (code) => process.exit(code ?? 0))
  } else {
    serve(`Electron is here but SQLite could not be built for it (${sqlite.reason})`)
  }
} else {
  serve(`Electron's binary is not available here (${electron.reason})`)
}

function serve(why) {
  console.log(`${why}, so Backplane runs in serve mode: the same GUI, in your browser.`)
  const child = spawn(process.execPath, [join(root, 'out/main/cli.js'), 'serve', '--open', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}

/** require('electron') downloads the binary on first use; done in a child so its noise stays out of sight. */
function findElectron() {
  if (process.env.BACKPLANE_NO_ELECTRON === '1') return { reason: 'BACKPLANE_NO_ELECTRON=1' }
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8', timeout: 300_000 })
  const path = probe.stdout?.trim()
  if (probe.status === 0 && path && existsSync(path)) return { path }
  const detail = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/i.test(probe.stderr ?? '') ? 'its download is blocked on this network' : 'it failed to install'
  return { reason: detail }
}
