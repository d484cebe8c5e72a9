import { useCallback, useRef, useState } from 'react'
import type { MethodInput, MethodName, MethodOutput } from '../../../main/api/contract'
import { ApiError } from '../../api/api-error'
import { useApiClient } from '../../api/hooks'

interface SecretCallState<M extends MethodName> {
  data: MethodOutput<M> | undefined
  error: ApiError | null
  pending: boolean
  /** When the latest answer came (Date.now()), to count down from. */
  settledAt: number
}

/**
 * A call whose input holds a password: unlike useApiMutation (whose cache keeps `variables` for
 * minutes), only the answer is kept, and an answer to an older call than the latest is dropped.
 */
export function useSecretCall<M extends MethodName>(method: M) {
  const client = useApiClient()
  const [state, setState] = useState<SecretCallState<M>>({ data: undefined, error: null, pending: false, settledAt: 0 })
  const latest = useRef(0)
  const run = useCallback(
    async (input: MethodInput<M>): Promise<MethodOutput<M> | undefined> => {
      const call = ++latest.current
      setState((previous) => ({ ...previous, pending: true }))
      try {
        const data = await client.call(method, input)
        if (call === latest.current) setState({ data, error: null, pending: false, settledAt: Date.now() })
        return data
      } catch (error) {
        if (call === latest.current) setState({ data: undefined, error: ApiError.from(error), pending: false, settledAt: Date.now() })
        return undefined
      }
    },
    [client, method],
  )
  const reset = useCallback(() => {
    latest.current += 1
    setState({ data: undefined, error: null, pending: false, settledAt: 0 })
  }, [])
  return { ...state, run, reset }
}
