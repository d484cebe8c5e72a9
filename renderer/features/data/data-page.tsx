import { AliasPage } from '../../components/alias-page'
import { DataWorkspace } from './data-workspace'

export function DataPage() {
  return (
    <AliasPage kind="data" title="Data" description="Browse, filter and edit the tables of a database alias, and run SQL against it.">
      {(alias) => <DataWorkspace alias={alias} />}
    </AliasPage>
  )
}
