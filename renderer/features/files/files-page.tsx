import { AliasPage } from '../../components/alias-page'
import { FilesWorkspace } from './files-workspace'

export function FilesPage() {
  return (
    <AliasPage kind="storage" title="Files" description="Browse, upload, preview and delete the files of a storage alias.">
      {(alias) => <FilesWorkspace alias={alias} />}
    </AliasPage>
  )
}
