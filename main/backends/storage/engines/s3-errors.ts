import { BackplaneError, ErrorCode, toBackplaneError } from '../../../core/errors'
import { CERTIFICATE_ERROR_CODES } from '../../../core/tls-codes'
import { notFound } from '../base'

/** What a failed S3 call was about, so the message names it. */
export interface S3ErrorContext {
  bucket: string
  /** "127.0.0.1:9000", or "Amazon S3 (eu-central-1)". */
  server: string
  /** The storage name the call was about, if any (never the raw key: the prefix is an implementation detail). */
  name?: string
  accessKeyId?: string
}

interface SdkError {
  name?: string
  code?: string
  message?: string
  $fault?: 'client' | 'server'
  $metadata?: { httpStatusCode?: number; requestId?: string }
  $response?: { headers?: Record<string, string | undefined> }
  errors?: unknown[]
}

const THROTTLED = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequests', 'ServiceUnavailable', 'RequestThrottled'])
const BAD_SIGNATURE = new Set(['SignatureDoesNotMatch', 'InvalidSignature', 'IncompleteSignature', 'AuthorizationHeaderMalformed'])
const BAD_TOKEN = new Set(['ExpiredToken', 'InvalidToken', 'TokenRefreshRequired'])
const NETWORK: Record<string, ErrorCode> = {
  ECONNREFUSED: ErrorCode.E_CONNECTION_REFUSED,
  ENOTFOUND: ErrorCode.E_DNS,
  EAI_AGAIN: ErrorCode.E_DNS,
  ECONNRESET: ErrorCode.E_CONNECTION_RESET,
  EPIPE: ErrorCode.E_CONNECTION_RESET,
  ECONNABORTED: ErrorCode.E_CONNECTION_RESET,
  ETIMEDOUT: ErrorCode.E_TIMEOUT,
  EHOSTUNREACH: ErrorCode.E_HOST_UNREACHABLE,
  ENETUNREACH: ErrorCode.E_HOST_UNREACHABLE,
}

/**
 * A failed S3 call as a BackplaneError. Messages are ours, never the server's raw text for auth
 * failures: an SDK error carries the string-to-sign and the signature, so no cause is attached either,
 * only the S3 error code, HTTP status and request ID (what a support ticket needs).
 */
export function s3Error(err: unknown, ctx: S3ErrorContext): BackplaneError {
  if (err instanceof BackplaneError) return err
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError
  const status = e.$metadata?.httpStatusCode
  const s3Code = e.name ?? 'Error'
  const details = { s3Code, ...(status ? { httpStatus: status } : {}), ...(e.$metadata?.requestId ? { requestId: e.$metadata.requestId } : {}) }
  const what = ctx.name !== undefined ? `"${ctx.name}"` : `the bucket "${ctx.bucket}"`

  if (s3Code === 'AbortError') return new BackplaneError(ErrorCode.E_CANCELLED, 'The S3 transfer was cancelled.', { hint: 'Nothing was left under the name; start it again if you need it.' })

  const network = networkCode(e)
  if (network) return networkError(network, e, ctx)

  if (s3Code === 'NoSuchBucket' || (status === 404 && ctx.name === undefined)) {
    return new BackplaneError(ErrorCode.E_NOT_FOUND, `The bucket "${ctx.bucket}" does not exist on ${ctx.server}.`, {
      hint: 'Check the bucket name (and the region), or create the bucket first.',
      details,
    })
  }
  if (s3Code === 'NoSuchKey' || s3Code === 'NotFound' || status === 404) return notFound(ctx.name ?? ctx.bucket)
  if (s3Code === 'InvalidAccessKeyId') {
    return new BackplaneError(ErrorCode.E_AUTH, `${ctx.server} does not know the access key ID${ctx.accessKeyId ? ` "${ctx.accessKeyId}"` : ''}.`, {
      hint: 'Check the access key ID, and that it belongs to this endpoint (a key of one provider does not work on another).',
      details,
    })
  }
  if (BAD_SIGNATURE.has(s3Code)) {
    return new BackplaneError(ErrorCode.E_AUTH, `${ctx.server} refused the request signature: the secret access key does not belong to the access key ID.`, {
      hint: 'Enter the secret access key again (it is shown once, when the key is created). A wrong region can also cause this.',
      details,
    })
  }
  if (s3Code === 'RequestTimeTooSkewed') {
    return new BackplaneError(ErrorCode.E_AUTH, `${ctx.server} refused the request: this computer's clock is too far off.`, { hint: 'Set the clock right (turn on network time) and try again.', details })
  }
  if (BAD_TOKEN.has(s3Code)) {
    return new BackplaneError(ErrorCode.E_AUTH, `${ctx.server} refused the session token: it has expired or is not valid.`, { hint: 'Get new temporary credentials (and session token) and enter them again.', details })
  }
  if (s3Code === 'AccessDenied' || s3Code === 'Forbidden' || status === 403) {
    return new BackplaneError(ErrorCode.E_PERMISSION, `Access to ${what} in bucket "${ctx.bucket}" was denied (HTTP 403).`, {
      hint: 'Give the access key s3:ListBucket on the bucket and s3:GetObject, s3:PutObject and s3:DeleteObject on its keys (and prefix); or check a bucket policy that denies it.',
      details,
    })
  }
  if (s3Code === 'PermanentRedirect' || status === 301) {
    const region = e.$response?.headers?.['x-amz-bucket-region']
    return new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `The bucket "${ctx.bucket}" is in another region${region ? ` (${region})` : ''}.`, {
      hint: region ? `Set the region to ${region}.` : 'Set the region the bucket was created in.',
      details,
    })
  }
  if (THROTTLED.has(s3Code) || status === 503 || status === 429) {
    return new BackplaneError(ErrorCode.E_ENGINE_FAILED, `${ctx.server} is busy and asked to slow down (${s3Code}).`, { hint: 'Try again in a moment; it passes by itself.', details, status: 503 })
  }
  if (s3Code === 'InvalidRange' || status === 416) {
    return new BackplaneError(ErrorCode.E_INVALID_INPUT, `The byte range asked of ${what} lies beyond its end.`, { hint: 'Ask for a range inside the file (its size is in its details).', details, status: 416 })
  }
  if (s3Code === 'EntityTooLarge') return new BackplaneError(ErrorCode.E_TOO_LARGE, `${what} is larger than ${ctx.server} accepts.`, { hint: 'Upload a smaller file, or raise the part size.', details })
  if (s3Code === 'InvalidBucketName') {
    return new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `"${ctx.bucket}" is not a valid bucket name.`, { hint: 'Bucket names are 3 to 63 lowercase letters, digits, dots and hyphens.', details })
  }
  if (e.$metadata) {
    // The server answered with something we have no better words for: its code and message say most.
    const server = e.$fault === 'server' || (status ?? 0) >= 500
    return new BackplaneError(ErrorCode.E_ENGINE_FAILED, `${ctx.server} answered ${s3Code}${status ? ` (HTTP ${status})` : ''} for ${what}: ${e.message ?? 'no message'}`, {
      hint: server ? 'The server failed; try again, and check its logs if it keeps failing.' : 'The server refused the request; its message says why.',
      details,
    })
  }
  return toBackplaneError(err, ErrorCode.E_ENGINE_FAILED)
}

/** Node's network error code, also when it is wrapped (an AggregateError of each address tried). */
function networkCode(e: SdkError): ErrorCode | 'TLS' | 'CERT' | undefined {
  const codes = [e.code, ...(e.errors ?? []).map((inner) => (inner as SdkError | undefined)?.code)]
  for (const code of codes) {
    if (!code) continue
    if (NETWORK[code]) return NETWORK[code]
    if (CERTIFICATE_ERROR_CODES.has(code)) return 'CERT'
    if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'EPROTO') return 'TLS'
  }
  if (e.name === 'TimeoutError') return ErrorCode.E_TIMEOUT
  return undefined
}

function networkError(code: ErrorCode | 'TLS' | 'CERT', e: SdkError, ctx: S3ErrorContext): BackplaneError {
  switch (code) {
    case 'CERT':
      return new BackplaneError(ErrorCode.E_TLS_CERTIFICATE, `The certificate of ${ctx.server} is not trusted (${e.code}).`, { hint: 'Use a certificate your system trusts, or check the endpoint host name.' })
    case 'TLS':
      return new BackplaneError(ErrorCode.E_TLS, `The TLS handshake with ${ctx.server} failed (${e.code}).`, { hint: 'Check whether the endpoint speaks https or http.' })
    case ErrorCode.E_CONNECTION_REFUSED:
      return new BackplaneError(code, `Nothing answers at ${ctx.server}: the connection was refused.`, { hint: 'Is the S3 server running, and are the endpoint host and port right?' })
    case ErrorCode.E_DNS:
      return new BackplaneError(code, `The host name of ${ctx.server} does not resolve.`, { hint: 'Check the endpoint spelling, or use an IP address.' })
    case ErrorCode.E_CONNECTION_RESET:
      return new BackplaneError(code, `${ctx.server} closed the connection in the middle of a request.`, { hint: 'The server may have restarted or dropped the request; try again. Nothing half-written was kept.' })
    case ErrorCode.E_TIMEOUT:
      return new BackplaneError(code, `${ctx.server} did not answer in time.`, { hint: 'The server may be overloaded, or a firewall may drop packets; check the endpoint.' })
    default:
      return new BackplaneError(code, `${ctx.server} could not be reached (${e.code ?? e.name}).`, { hint: 'Check the endpoint and the network.' })
  }
}

/** S3's "not found" answers: an object that is not there (HEAD says only 404). */
export function isNotFound(err: unknown): boolean {
  const e = err as SdkError | undefined
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
}

/** A byte range starting at or past the end of the object (416). */
export function isInvalidRange(err: unknown): boolean {
  const e = err as SdkError | undefined
  return e?.name === 'InvalidRange' || e?.$metadata?.httpStatusCode === 416
}

/** A HEAD answered 403 with no body: access denied and a bad signature look the same, so a GET must tell. */
export function isForbidden(err: unknown): boolean {
  return (err as SdkError | undefined)?.$metadata?.httpStatusCode === 403
}

/** An exclusive write lost: If-None-Match: * found the key taken (412), or a concurrent write (409). */
export function isPreconditionFailed(err: unknown): boolean {
  const e = err as SdkError | undefined
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412 || e?.name === 'ConditionalRequestConflict'
}
