import type { MethodInput } from '../../../../main/api/contract'
import { useApiPagedQuery, useLoadMore } from '../../../api/hooks'

export type AuditFilter = Pick<MethodInput<'auth.audit'>, 'username' | 'outcome' | 'alias'>
/** What the filter menus choose; the username is typed (and debounced) apart. */
export type AuditChoiceFilter = Omit<AuditFilter, 'username'>

const PAGE = 100

/** The audit log, newest first, a page at a time: each next page starts before the oldest entry shown. */
export function useAudit(filter: AuditFilter) {
  const audit = useApiPagedQuery('auth.audit', { ...filter, limit: PAGE }, {
    firstPage: undefined as number | undefined,
    inputFor: (beforeId) => ({ ...filter, limit: PAGE, ...(beforeId === undefined ? {} : { beforeId }) }),
    nextPage: (last) => (last.entries.length === PAGE ? last.entries.at(-1)?.id : undefined),
    keepPrevious: true,
  })
  const entries = audit.data?.pages.flatMap((page) => page.entries) ?? []
  const total = audit.data?.pages[0]?.total ?? 0
  return { audit, entries, total, loadMore: useLoadMore(audit) }
}
