import { z } from 'zod'
import { HealthReport } from '../../core/schemas'

/** Every event the main process pushes, with its payload. */
export const events = {
  'health.changed': HealthReport,
  'settings.changed': z.object({ status: z.enum(['ok', 'created', 'corrupt']), issues: z.number() }),
  /** The host asks the GUI to show a section (Electron's Go menu). */
  'ui.navigate': z.object({ path: z.string() }),
}

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>
