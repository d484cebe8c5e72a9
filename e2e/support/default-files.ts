import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { BackplaneApp } from '../pages/backplane-app'
import { FilesPage } from '../pages/files-page'
import type { E2EContext } from './e2e-suite'

// The default storage alias of an E2E server is the filesystem at <data dir>/files: stories put their
// files there straight on disk, act in the GUI, and check the disk.

/** Where a name of the default alias is on disk. */
export function onDisk(ctx: E2EContext, name: string): string {
  return join(ctx.server.home, 'files', name)
}

/** Files written straight into the default alias's folder, with the folders they need. */
export function plant(ctx: E2EContext, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(onDisk(ctx, name)), { recursive: true })
    writeFileSync(onDisk(ctx, name), content)
  }
}

/** The Files section on the default alias, opened at one of its top folders. */
export async function openFolder(ctx: E2EContext, folder: string): Promise<FilesPage> {
  const files = await FilesPage.open(await BackplaneApp.open(await ctx.open(), ctx.server))
  await files.entry(folder).dblclick()
  await files.breadcrumbs.getByText(folder, { exact: true }).waitFor()
  return files
}
