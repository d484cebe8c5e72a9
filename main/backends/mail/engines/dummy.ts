import { defineEngine } from '../../../core/engine'
import type { HealthProbe } from '../../../core/health-probe'
import { BaseMailBackend, MailOptions, type EmailMessage } from '../base'

/** Django's dummy backend: sends nothing, checks nothing, and says every message went. */
class DummyMailBackend extends BaseMailBackend {
  override sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    return Promise.resolve(messages.length)
  }

  protected async deliver(): Promise<void> {}

  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    probe.summary = 'Sends nothing, by design.'
  }
}

export const dummyEngine = defineEngine({
  kind: 'mail',
  id: 'dummy',
  title: 'Dummy (send nothing)',
  description: "Django's dummy backend: every message counts as sent and goes nowhere.",
  options: MailOptions,
  create: (options, ctx) => new DummyMailBackend(options, ctx),
})
