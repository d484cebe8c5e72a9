import type { ErrorPayload } from '../../main/api/contract'
import { ErrorCode } from '../../main/api/contract'

/** One problem with one field, as the router and the settings editor report them in `details.issues`. */
export interface FieldIssue {
  path: string[]
  message: string
}

/**
 * Every failed call, whatever the transport: the `{ code, message, hint, details }` the main process
 * sends (ARCHITECTURE.md: never a stack trace), so screens can act on the code and show the hint.
 */
export class ApiError extends Error {
  readonly code: string
  readonly hint: string | undefined
  readonly details: unknown

  constructor(payload: ErrorPayload) {
    super(payload.message)
    this.name = 'ApiError'
    this.code = payload.code
    this.hint = payload.hint
    this.details = payload.details
  }

  /** The field issues of E_INVALID_INPUT / E_INVALID_OPTIONS, or none. */
  get issues(): FieldIssue[] {
    const issues = (this.details as { issues?: unknown } | null | undefined)?.issues
    if (!Array.isArray(issues)) return []
    return issues.flatMap((issue: unknown) => {
      const { path, message } = (issue ?? {}) as { path?: unknown; message?: unknown }
      if (typeof message !== 'string') return []
      return [{ path: Array.isArray(path) ? path.map(String) : [], message }]
    })
  }

  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error
    const candidate = (error ?? {}) as Partial<ErrorPayload>
    // The Electron bridge rejects with an Error that carries code/hint/details as own properties.
    if (typeof candidate.code === 'string' && typeof candidate.message === 'string') {
      return new ApiError({ code: candidate.code, message: candidate.message, hint: candidate.hint, details: candidate.details })
    }
    return new ApiError({ code: ErrorCode.E_CLIENT, message: error instanceof Error ? error.message : String(error) })
  }
}

/** The codes the client itself produces when there is no answer from the main process. */
export const DISCONNECTED = ErrorCode.E_DISCONNECTED
