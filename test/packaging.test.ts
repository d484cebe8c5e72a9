import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { staleIcons } from '../scripts/icons'

/**
 * Electron's binary cannot be downloaded here, so `npm run dist` cannot run in CI. What can be checked
 * without it is: electron-builder.yml against electron-builder's own schema (the electron-builder this
 * project installs, not a copy), every file it names, and the icons against their SVG sources.
 */
const root = join(import.meta.dirname, '..')
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'))
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, unknown>>
  validateConfiguration(config: unknown, logger: unknown): Promise<void>
}
const quietLogger = { isEnabled: false, add: () => undefined }

interface PlatformConfig {
  icon?: string
  entitlements?: string
  entitlementsInherit?: string
  installerIcon?: string
  uninstallerIcon?: string
}

describe('packaging (electron-builder.yml)', () => {
  it("matches electron-builder's configuration schema, and a typo would not", async () => {
    const config = await getConfig(root, null, null)
    await expect(validateConfiguration(config, quietLogger)).resolves.toBeUndefined()
    await expect(validateConfiguration({ ...config, linx: { target: 'deb' } }, quietLogger)).rejects.toThrow(/unknown property 'linx'/)
  })

  it('names only files that exist: icons, entitlements, the bundle', async () => {
    const config = (await getConfig(root, null, null)) as Record<string, PlatformConfig | unknown>
    const named = ['mac', 'dmg', 'linux', 'win', 'nsis'].flatMap((platform) => {
      const section = (config[platform] ?? {}) as PlatformConfig
      return [section.icon, section.entitlements, section.entitlementsInherit, section.installerIcon, section.uninstallerIcon].filter((p): p is string => typeof p === 'string')
    })
    expect(named.length).toBeGreaterThanOrEqual(8)
    for (const path of named) expect(existsSync(join(root, path)), path).toBe(true)
    // Linux takes a folder of NxN.png; electron-builder wants 512 at least.
    expect(readdirSync(join(root, 'build/icons')).sort()).toEqual(['1024x1024.png', '256x256.png', '512x512.png'])
    // getConfig may have wrapped the list ({ filter: [...] }); the patterns are what the file says.
    const files = (config.files as (string | { filter?: string[] })[]).flatMap((entry) => (typeof entry === 'string' ? [entry] : (entry.filter ?? [])))
    expect(files).toContain('out/**')
    for (const pattern of files.filter((p) => !p.startsWith('!'))) {
      const folder = pattern.replace(/\/\*\*$/, '')
      expect(existsSync(join(root, folder)), `${pattern} matches nothing (is the app built?)`).toBe(true)
    }
    expect(statSync(join(root, 'out/main/electron.js')).isFile()).toBe(true)
  })

  it('has every raster icon made from the SVG sources as they are now (npm run icons)', () => {
    expect(staleIcons()).toEqual([])
  })
})
