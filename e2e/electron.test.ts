import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { expect, it } from 'vitest'
import { makeHome } from './support/server'

const root = join(import.meta.dirname, '..')

/** Electron's binary, as its npm package records it, without ever downloading it. */
function electronBinary(): { path?: string; reason?: string } {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return { reason: 'node_modules/electron/path.txt is missing (the binary was never downloaded)' }
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return { reason: `${binary} does not exist` }
  return { path: binary }
}

const binary = electronBinary()
if (!binary.path) process.stdout.write(`skipped Electron smoke test: ${binary.reason}\n`)

;(binary.path ? it : it.skip)('opens the desktop app with its sidebar', async () => {
  const app = await electron.launch({
    executablePath: binary.path,
    args: [join(root, 'out', 'main', 'electron.js'), '--no-sandbox'],
    env: { ...process.env, BACKPLANE_HOME: makeHome(), BACKPLANE_SECRET_STORE: 'file' },
  })
  try {
    const window = await app.firstWindow()
    await window.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Dashboard' }).waitFor()
    expect(await window.title()).toBe('Backplane')
  } finally {
    await app.close()
  }
})
