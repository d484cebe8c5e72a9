import { AliasPage } from '../../components/alias-page'
import { CacheWorkspace } from './cache-workspace'

export function CachePage() {
  return (
    <AliasPage kind="cache" title="Cache" description="Browse, read, store and delete keys of a cache alias.">
      {(alias) => <CacheWorkspace alias={alias} />}
    </AliasPage>
  )
}
