import { BackplaneError, ErrorCode } from '../../core/errors'

export const FILE_ROUTE = '/api/v1/storage/'
export const ZIP_ROUTE = '/api/v1/storage-zip/'

export interface RoutePath {
  route: 'file' | 'zip'
  alias: string
  /** The segments after the alias, each decoded, joined with "/" ('' for the root). */
  name: string
}

/** Whether a request target's path (as sent, still encoded) is one of the storage routes. */
export function isStorageRoute(rawPath: string): boolean {
  return rawPath.startsWith(FILE_ROUTE) || rawPath.startsWith(ZIP_ROUTE) || rawPath === ZIP_ROUTE.slice(0, -1)
}

/**
 * `/api/v1/storage/<alias>/<path>`: each segment percent-decoded by itself, so an encoded "/" is a
 * character of one name, never a step into a folder, and is refused as such (with "\" and NUL, which
 * some file systems read as separators or as the end). ".." passes through to the engine, which
 * refuses a name that climbs out of the storage with its own typed error. The path must be the raw
 * one: WHATWG URL parsing resolves "%2e%2e/" before anyone could refuse it.
 */
export function parseRoutePath(rawPath: string): RoutePath {
  // The zip route without its slash is still the zip route (with its alias missing), never a file of an alias "zip".
  const route = rawPath.startsWith(ZIP_ROUTE) || rawPath === ZIP_ROUTE.slice(0, -1) ? 'zip' : 'file'
  const rest = rawPath.slice(route === 'zip' ? ZIP_ROUTE.length : FILE_ROUTE.length)
  const [aliasSegment = '', ...segments] = rest.split('/')
  const alias = decodeSegment(aliasSegment)
  if (alias === '') throw invalid('The alias is missing from the path.', route)
  if (route === 'zip' && segments.some((s) => s !== '')) throw invalid('The zip route takes the names as ?name=, not in the path.', route)
  return { route, alias, name: segments.map(decodeSegment).join('/') }
}

function decodeSegment(segment: string): string {
  let text: string
  try {
    text = decodeURIComponent(segment)
  } catch {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, `"${segment.slice(0, 100)}" is not valid percent-encoding.`, { hint: 'Encode each part of the name with encodeURIComponent().' })
  }
  if (/[/\\\0]/.test(text)) {
    throw new BackplaneError(ErrorCode.E_INVALID_NAME, `A part of the path holds "/", "\\" or NUL once decoded (${JSON.stringify(text.slice(0, 100))}).`, {
      hint: 'Folders are separated by a plain "/" in the path; a name itself cannot hold one.',
    })
  }
  return text
}

function invalid(message: string, route: 'file' | 'zip'): BackplaneError {
  return new BackplaneError(ErrorCode.E_INVALID_INPUT, message, {
    hint: route === 'zip' ? 'GET /api/v1/storage-zip/<alias>?name=<file or folder>&name=…' : 'Use /api/v1/storage/<alias>/<path of the file>.',
  })
}
