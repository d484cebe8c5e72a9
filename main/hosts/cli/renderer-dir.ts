import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where the built renderer is: BACKPLANE_RENDERER_DIR, else `out/renderer` in the nearest folder
 * above this file that has one (the same whether this runs from source or from out/main).
 */
export function findRendererDir(): string | undefined {
  if (process.env.BACKPLANE_RENDERER_DIR) return resolve(process.env.BACKPLANE_RENDERER_DIR)
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'out', 'renderer')
    if (existsSync(join(candidate, 'index.html'))) return candidate
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
