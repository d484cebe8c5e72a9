import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../../core/atomic-write'

/** The desktop app's own choices, kept beside its window state: not settings of any backend. */
const DesktopPreferences = z.object({
  startAtLogin: z.boolean().default(false),
  /** Open to the tray only (the capture server runs; the window opens from the tray or a second launch). */
  startHidden: z.boolean().default(false),
})
export type DesktopPreferences = z.infer<typeof DesktopPreferences>

const FILE = 'desktop.json'

export function loadDesktopPreferences(dataDir: string): DesktopPreferences {
  try {
    return DesktopPreferences.parse(JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')))
  } catch {
    return DesktopPreferences.parse({})
  }
}

export function saveDesktopPreferences(dataDir: string, preferences: DesktopPreferences): Promise<void> {
  return writeFileAtomic(join(dataDir, FILE), JSON.stringify(preferences, null, 2) + '\n', 0o600)
}
