import { makeDirectorySync } from './make-directory'
import { homedir } from 'node:os'
import { realpathSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/**
 * Where settings, secrets, the default SQLite database, the outbox and the default storage live:
 * `BACKPLANE_HOME` when set, the host's choice (Electron's userData) when given, else the platform's
 * usual place for application data.
 */
export function resolveDataDir(hostDefault?: string): string {
  const fromEnv = process.env.BACKPLANE_HOME
  const dir = fromEnv ? resolve(fromEnv) : (hostDefault ?? platformDataDir())
  makeDirectorySync(dir, 0o700)
  return dir
}

/** Where the data directory is when neither BACKPLANE_HOME nor a host says otherwise. */
export function platformDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Backplane')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Backplane')
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'backplane')
}

/** A path from settings: absolute stays, relative is taken from the data directory. */
export function resolveInDataDir(dataDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dataDir, path)
}

/** The default storage alias's folder: the one part of the data directory a storage alias may touch. */
export const DEFAULT_FILES_FOLDER = 'files'

/**
 * Whether an absolute path with symlinks resolved lies among Backplane's own files (settings, secrets,
 * the trust list, engines/, the outbox and default databases): inside the data directory, outside
 * its files/ folder. Both paths must already be real (fs.realpath), or a link would walk past this.
 */
export function isReservedPath(realDataDir: string, realPath: string): boolean {
  if (!isInside(realDataDir, realPath)) return false
  return !isInside(join(realDataDir, DEFAULT_FILES_FOLDER), realPath)
}

/** Whether `path` is `dir` itself or lies below it (both absolute and normalized). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path)
  // `..name` is a file inside; `..` or `../name` is above.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/**
 * Whether a file is one of Backplane's own in its data directory rather than a database a data alias may
 * open: inside the data directory (links followed), anything but a `.sqlite3`/`.sqlite`/`.db` file, and the
 * outbox's. Names are compared in lower case, for file systems that ignore case.
 */
export function isOwnDataFile(dataDir: string, file: string): boolean {
  const real = realPathOfSync(file)
  if (!isInside(realPathOfSync(dataDir), real)) return false
  const name = basename(real).toLowerCase()
  return !/\.(sqlite3?|db)$/.test(name) || name.startsWith('outbox.sqlite3')
}

/** realpath of the deepest part of a path that exists, with the rest appended. */
function realPathOfSync(path: string): string {
  const rest: string[] = []
  for (let current = resolve(path); ; current = dirname(current)) {
    try {
      return join(realpathSync(current), ...rest.reverse())
    } catch {
      if (dirname(current) === current) return resolve(path)
      rest.push(basename(current))
    }
  }
}
