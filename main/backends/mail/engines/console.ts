import type { Writable } from 'node:stream'
import { z } from 'zod'
import { defineEngine, type EngineContext } from '../../../core/engine'
import type { HealthProbe } from '../../../core/health-probe'
import { MailOptions } from '../base'
import { StreamMailBackend, writableSink } from '../stream-backend'

const ConsoleOptions = MailOptions.extend({
  stream: z.enum(['stdout', 'stderr']).default('stdout').describe("Where the messages are written (Django: the console backend's stream)."),
})
type ConsoleOptions = z.output<typeof ConsoleOptions>

/** Django's console backend: each message written as text to the process's output, for development. */
export class ConsoleMailBackend extends StreamMailBackend {
  constructor(
    private readonly consoleOptions: ConsoleOptions,
    ctx: EngineContext,
    stream: Writable = consoleOptions.stream === 'stderr' ? process.stderr : process.stdout,
  ) {
    super(consoleOptions, ctx)
    this.sink = writableSink(stream)
  }

  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    await probe.step('stream', () => this.consoleOptions.stream, (name) => `writes to ${name}`)
  }
}

export const consoleEngine = defineEngine({
  kind: 'mail',
  id: 'console',
  title: 'Console',
  description: "Writes every message as text to Backplane's standard output, as Django's console backend does. Nothing is sent.",
  options: ConsoleOptions,
  create: (options, ctx) => new ConsoleMailBackend(options, ctx),
})
