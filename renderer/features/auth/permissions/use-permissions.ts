import { useApiQuery } from '../../../api/hooks'

/** Every permission of the alias (auth_permission), read once per alias and shared by every picker. */
export function usePermissions(alias: string) {
  return useApiQuery('auth.permissions', { alias }, { staleTime: 60_000 })
}
