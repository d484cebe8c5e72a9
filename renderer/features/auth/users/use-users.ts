import type { QueryClient } from '@tanstack/react-query'
import { useApiPagedQuery, useLoadMore } from '../../../api/hooks'

/** Django admin's list_filter for users: the three flags and a group (undefined: any). */
export interface UserFlagFilter {
  isActive?: boolean | undefined
  isStaff?: boolean | undefined
  isSuperuser?: boolean | undefined
  group?: string | undefined
}

export interface UserFilter extends UserFlagFilter {
  search: string
}

const PAGE = 100

/** The users matching a filter, a page at a time (offset paging, as the model backend's SQL does). */
export function useUsers(alias: string, filter: UserFilter) {
  const input = { alias, search: filter.search, isActive: filter.isActive, isStaff: filter.isStaff, isSuperuser: filter.isSuperuser, group: filter.group }
  const users = useApiPagedQuery('auth.users', input, {
    firstPage: 0,
    inputFor: (offset) => ({ ...input, offset, limit: PAGE }),
    nextPage: (last, all) => {
      const loaded = all.reduce((sum, page) => sum + page.users.length, 0)
      return loaded < last.total && last.users.length > 0 ? loaded : undefined
    },
    keepPrevious: true,
  })
  const rows = users.data?.pages.flatMap((page) => page.users) ?? []
  const total = users.data?.pages.at(-1)?.total ?? 0
  return { users, rows, total, loadMore: useLoadMore(users) }
}

/** After a user is made, changed or deleted: the user lists, and the groups' member counts. */
export function refreshUserLists(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: ['auth.users'] })
  void queryClient.invalidateQueries({ queryKey: ['auth.groups'] })
}
