import { AliasPage } from '../../components/alias-page'
import { DataWorkspace } from './data-workspace'

export function DataPage() {
  return (
    <AliasPage kind="data" title="Data" description="Tables of a database alias, and SQL to run against it.">
      {(alias) => <DataWorkspace alias={alias} />}
    </AliasPage>
  )
}
