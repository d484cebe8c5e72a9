import type { Writable } from 'node:stream'
import { BackplaneError, ErrorCode } from '../../core/errors'
import { BaseMailBackend } from './base'
import { djangoMessageBytes, makeMessageId } from './django-message'
import { envelopeOf, type ComposedMessage, type EmailMessage } from './message'

/** What Django's console and file backends write after each message (console.py, filebased.py). */
export const DJANGO_SEPARATOR = '-'.repeat(79)

/**
 * One message as Django's console and file backends write it: the message with "\n" line ends, a
 * newline, a line of 79 "-", a newline. Django's own rendering already has "\n" line ends; raw bytes
 * (a captured message released to this engine) get theirs changed the same way.
 */
export function djangoStreamEntry(message: Buffer): Buffer {
  const text = message.toString('latin1').replace(/\r\n|\r/g, '\n')
  return Buffer.from(`${text}\n${DJANGO_SEPARATOR}\n`, 'latin1')
}

/** Where the console and file engines write; write() settles once the bytes are handed to the OS. */
export interface MessageSink {
  write(data: Buffer): Promise<void>
}

export function writableSink(stream: Writable): MessageSink {
  return { write: (data) => new Promise((resolve, reject) => stream.write(data, (err) => (err ? reject(err) : resolve()))) }
}

/**
 * Django's console backend, which its file backend extends: every message rendered as Django renders it
 * (`message().as_bytes()`), written and flushed before the next (write_message), batches one at a time
 * (its RLock). Subclasses provide the sink, either from the start (console) or from open() (file).
 */
export abstract class StreamMailBackend extends BaseMailBackend {
  protected override readonly oneBatchAtATime: boolean = true
  protected sink: MessageSink | undefined

  protected override async compose(message: EmailMessage): Promise<ComposedMessage> {
    const envelope = envelopeOf(message, this.options.defaultFrom)
    const messageId = message.headers?.['Message-ID'] ?? makeMessageId()
    return { raw: djangoMessageBytes(message, this.options.defaultFrom, { messageId }), envelope, messageId, source: message }
  }

  protected async deliver(message: ComposedMessage): Promise<void> {
    if (!this.sink) throw new BackplaneError(ErrorCode.E_NOT_OPEN, 'The mail stream is not open.', { hint: 'Call open() first, or send with sendMessages(), which opens it.' })
    await this.sink.write(djangoStreamEntry(message.raw))
  }
}
