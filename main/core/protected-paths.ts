import { existsSync, readFileSync } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TrustStore } from './engine-trust'

/**
 * Where Backplane's own code lives: the folder of its package.json (a checkout, an npm install, or the
 * desktop app's app.asar, whose unpacked native modules sit beside it).
 */
export function appInstallDir(): string | undefined {
  if (installDir === null) installDir = findInstallDir()
  return installDir
}

/** Found once: it does not move while Backplane runs. */
let installDir: string | undefined | null = null

function findInstallDir(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'backplane') return basename(dir).endsWith('.asar') ? dirname(dir) : dir
      } catch {
        /* not ours; keep looking */
      }
    }
    if (dirname(dir) === dir) return undefined
  }
}

/**
 * Folders no storage alias may write into or delete, whatever its root: Backplane's own code and
 * dependencies (which it loads lazily, in workers: replacing one would run code in Backplane), and the
 * folders of trusted engine modules (their own imports are not hashed). Reading them stays possible.
 */
export async function writeProtectedFolders(dataDir: string): Promise<string[]> {
  const store = new TrustStore(dataDir)
  // Kept while the trust list is unchanged, so a write does not read and resolve it every time.
  const stamp = await stat(store.file).then((s) => `${s.mtimeMs}:${s.size}`, () => 'none')
  const cached = protectedByDataDir.get(dataDir)
  if (cached?.stamp === stamp) return cached.folders
  const folders = new Set<string>()
  const install = appInstallDir()
  if (install) {
    folders.add(install)
    // Its dependencies are loaded from where node_modules really is, which a link (a workspace, a sandbox) puts elsewhere.
    folders.add(join(install, 'node_modules'))
  }
  for (const module of await store.list()) folders.add(dirname(module.file))
  const real = await Promise.all([...folders].map((folder) => realpath(folder).catch(() => folder)))
  protectedByDataDir.set(dataDir, { stamp, folders: real })
  return real
}

const protectedByDataDir = new Map<string, { stamp: string; folders: string[] }>()
