// A custom storage engine: files in a folder, a bare file name filed under the day it arrived
// (uploads/2026/11/25/report.pdf), like Django's upload_to="%Y/%m/%d"; a name that already says where
// it goes (reports/q3.pdf) is kept. As in Django, that is generate_filename's job, which comes before
// save() (Django's FileField calls it; Backplane's storage.djangoName call answers with it): save() keeps
// the name it is given and only resolves a clash.
// Use it with  "engine": "./dated-storage.mjs#DatedFolder", "options": { "location": "files/uploads" }
// (inside the data directory only its files/ folder is open to storage aliases).
// It is the built-in filesystem engine (Django's FileSystemStorage) with another generate_filename:
// name cleaning, clash suffixes, the root and data-directory guards all come from there.
import { FileSystemOptions, FileSystemStorage, defineEngine, z } from 'backplane/engine'

class DatedFolderStorage extends FileSystemStorage {
  generateFilename(name) {
    const generated = super.generateFilename(name)
    if (generated.includes('/')) return generated
    return `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/${generated}`
  }
}

export const DatedFolder = defineEngine({
  kind: 'storage',
  title: 'Dated folders',
  description: 'Files saved under the day they arrived (2026/11/25/report.pdf).',
  options: FileSystemOptions.extend({ location: z.string().min(1).default('files/uploads').describe('Folder holding the files; relative paths start in the data directory, where only files/ is open to storage.') }),
  create: (options, ctx) => new DatedFolderStorage(options, ctx),
})
