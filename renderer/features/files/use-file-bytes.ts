import { useQuery } from '@tanstack/react-query'
import { ErrorCode } from '../../../main/api/contract'
import { ApiError } from '../../api/api-error'

/** The route's errors are the API's JSON (`{ error: { code, message, hint } }`); anything else is described by its status. */
async function failureOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: unknown }
    if (body.error) return ApiError.from(body.error)
  } catch {
    // Not JSON: a proxy's page, or the route is not there.
  }
  return new ApiError({ code: ErrorCode.E_CLIENT, message: `The file could not be read (HTTP ${response.status}).`, hint: 'Try again; see the log of Backplane if it keeps failing.' })
}

/**
 * A file's bytes (the whole file, or its first `firstBytes` with a Range request) for a preview, from
 * the inline URL. Keyed by the file's version (modified time, ETag) so a changed file is fetched again.
 */
export function useFileBytes(url: string, version: string, { firstBytes, enabled = true }: { firstBytes?: number; enabled?: boolean } = {}) {
  return useQuery<Uint8Array, ApiError>({
    queryKey: ['storage.bytes', url, version, firstBytes ?? null],
    enabled,
    staleTime: 30_000,
    gcTime: 10_000,
    retry: false,
    queryFn: async ({ signal }) => {
      const response = await fetch(url, { signal, headers: firstBytes ? { range: `bytes=0-${firstBytes - 1}` } : {} })
      if (!response.ok) throw await failureOf(response)
      const bytes = new Uint8Array(await response.arrayBuffer())
      // A server that ignores Range sends the whole file: keep only the sample.
      return firstBytes ? bytes.subarray(0, firstBytes) : bytes
    },
  })
}
