import { isMailBackend, sendTraced, type EmailMessage } from '../../backends/mail'
import type { ParsedInput } from '../contract'
import type { HandlerGroup } from '../router'
import { backendOf } from './backend-of'

export const mailHandlers: HandlerGroup<'mail.send' | 'mail.sendTest'> = {
  'mail.send': async ({ alias, messages }, { app }) => {
    const backend = await backendOf(app, 'mail', alias, isMailBackend)
    return { sent: await backend.sendMessages(messages.map(toEmailMessage)) }
  },
  'mail.sendTest': async ({ alias, messages }, { app }) => {
    return sendTraced(await backendOf(app, 'mail', alias, isMailBackend), messages.map(toEmailMessage))
  },
}

export function toEmailMessage(input: ParsedInput<'mail.send'>['messages'][number]): EmailMessage {
  const { attachments, ...rest } = input
  return {
    ...rest,
    attachments: attachments.map(({ contentBase64, ...a }) => ({ ...a, content: Buffer.from(contentBase64, 'base64') })),
  }
}
