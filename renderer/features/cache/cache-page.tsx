import { AliasPage } from '../../components/alias-page'
import { CacheWorkspace } from './cache-workspace'

export function CachePage() {
  return (
    <AliasPage kind="cache" title="Cache" description="Browse, read, edit and delete the keys of a cache alias, watch its statistics, and load it with a workload.">
      {(alias) => <CacheWorkspace alias={alias} />}
    </AliasPage>
  )
}
