import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

/**
 * Where settings, secrets, the default SQLite database, the outbox and the default storage live:
 * `BACKPLANE_HOME` when set, the host's choice (Electron's userData) when given, else the platform's
 * usual place for application data.
 */
export function resolveDataDir(hostDefault?: string): string {
  const fromEnv = process.env.BACKPLANE_HOME
  const dir = fromEnv ? resolve(fromEnv) : (hostDefault ?? platformDataDir())
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

function platformDataDir(): string {
  const home = homedir()
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Backplane')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Backplane')
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'backplane')
}

/** A path from settings: absolute stays, relative is taken from the data directory. */
export function resolveInDataDir(dataDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dataDir, path)
}
