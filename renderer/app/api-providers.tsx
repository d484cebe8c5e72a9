import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { ApiError, DISCONNECTED } from '../api/api-error'
import type { ApiClient } from '../api/client'
import { ApiClientContext } from '../api/hooks'

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Events keep the caches current (useLiveUpdates), so focus changes need not refetch.
        refetchOnWindowFocus: false,
        staleTime: 5_000,
        // A backend's answer does not change by asking again; a dropped connection does.
        retry: (failures, error) => ApiError.from(error).code === DISCONNECTED && failures < 5,
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 5_000),
      },
      mutations: { retry: false },
    },
  })
}

export function ApiProviders({ client, children }: { client: ApiClient; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient)
  return (
    <ApiClientContext value={client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiClientContext>
  )
}
