import type { Writable } from 'node:stream'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'

/** The reader went away: a closed pipe (`| head`), a download the browser dropped. */
const GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_WRITE_AFTER_END'])

/**
 * The stream an export writes to, as the export needs it: every byte counted, and `ready()` resolving
 * only once the stream has drained, so that no more rows are read than the reader takes (constant
 * memory whatever the table holds). A failure of the stream, or `fail()`, rejects the wait at once:
 * an export never hangs on a reader that is gone.
 */
export class ExportOutput {
  bytes = 0
  private failed: BackplaneError | undefined
  private readonly waiters = new Set<(error: BackplaneError) => void>()
  private readonly onError = (err: unknown) => this.fail(outputError(err))
  private readonly onClose = () => this.fail(new BackplaneError(ErrorCode.E_CANCELLED, 'The output was closed before the export finished.', { hint: 'Export again; nothing after the close was written.' }))

  /** `onFail` runs once, on the first failure: the export stops its query there, not at the next batch. */
  constructor(
    private readonly out: Writable,
    private readonly onFail: () => void = () => undefined,
  ) {
    if (out.destroyed || out.writableEnded) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'The export output is already closed.')
    out.on('error', this.onError)
    out.on('close', this.onClose)
  }

  /** Why the output cannot take more, if it cannot. */
  get failure(): BackplaneError | undefined {
    return this.failed
  }

  /** Never throws: a failure is kept and answered by the next `ready()`. */
  write(text: string): void {
    if (this.failed || text === '') return
    const chunk = Buffer.from(text, 'utf8')
    this.bytes += chunk.length
    try {
      this.out.write(chunk)
    } catch (err) {
      this.fail(outputError(err))
    }
  }

  /** Resolves when the stream wants more; rejects with the failure once there is one. */
  ready(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed)
    if (!this.out.writableNeedDrain) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: BackplaneError) => {
        this.out.off('drain', onDrain)
        this.waiters.delete(settle)
        if (error) reject(error)
        else resolve()
      }
      const onDrain = () => settle()
      this.out.on('drain', onDrain)
      this.waiters.add(settle)
    })
  }

  fail(error: BackplaneError): void {
    if (!this.failed) {
      this.failed = error
      this.onFail()
    }
    for (const settle of [...this.waiters]) settle(this.failed)
  }

  /** Stops watching the stream (before the caller ends it: its own 'close' is no failure then). */
  detach(): void {
    this.out.off('error', this.onError)
    this.out.off('close', this.onClose)
  }
}

function outputError(err: unknown): BackplaneError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (code && GONE.has(code)) {
    return new BackplaneError(ErrorCode.E_CANCELLED, 'The reader of the export went away before it finished.', { cause: err, hint: 'Export again, and keep the download (or the pipe) open until it ends.' })
  }
  const error = toBackplaneError(err)
  if (error.code !== ErrorCode.E_INTERNAL) return error
  return new BackplaneError(ErrorCode.E_INTERNAL, `Writing the export failed: ${error.message}`, { cause: err, hint: 'Check the disk or the program reading the export.' })
}
