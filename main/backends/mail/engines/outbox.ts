import { defineEngine } from '../../../core/engine'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { HealthProbe } from '../../../core/health-probe'
import { BaseMailBackend, MailOptions, type ComposedMessage, type OutboxSink } from '../base'

/** Delivers straight into Backplane's own outbox, where the outbox viewer shows it. */
class OutboxBackend extends BaseMailBackend {
  protected async deliver(message: ComposedMessage): Promise<void> {
    await this.sink().deliver({ raw: message.raw, envelope: message.envelope, source: `mail:${this.ctx.alias}` })
  }

  protected override async checkSteps(probe: HealthProbe): Promise<void> {
    await probe.step('outbox', () => this.sink(), () => 'local outbox store')
  }

  protected override async serverVersion(): Promise<string> {
    return 'Backplane outbox'
  }

  private sink(): OutboxSink {
    const sink = this.ctx.service('outbox')
    if (!sink) throw new BackplaneError(ErrorCode.E_OUTBOX_UNAVAILABLE, 'The local outbox is not running in this process.', { hint: 'Start Backplane (app or "backplane serve"); the outbox opens with it.' })
    return sink
  }
}

export const outboxEngine = defineEngine({
  kind: 'mail',
  id: 'outbox',
  title: 'Local outbox',
  description: "Keeps every message in Backplane's outbox, to read in the Mail screen. Nothing leaves this computer.",
  options: MailOptions,
  create: (options, ctx) => new OutboxBackend(options, ctx),
})
