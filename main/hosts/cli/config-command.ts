import { App } from '../../api/app'
import { secretFields } from '../../core/secret-options'
import { SECTION_OF, isSecretRef } from '../../core/schemas/kinds'
import type { SettingsDocument } from '../../core/settings/settings-document'

/** `backplane config show|validate`. Secrets appear as references; a secret typed in clear is masked. */
export async function configCommand(action: 'show' | 'validate'): Promise<number> {
  const app = await App.open({ host: 'cli' })
  try {
    const snapshot = app.settings.snapshot
    if (action === 'show') {
      process.stdout.write(`# ${snapshot.file}\n${JSON.stringify(await masked(app, snapshot.doc), null, 2)}\n`)
    }
    const errors = snapshot.issues.filter((i) => i.severity === 'error')
    for (const issue of snapshot.issues) {
      process.stderr.write(`${issue.severity}: ${issue.file}#${issue.pointer || '/'}: ${issue.message}\n`)
    }
    if (action === 'validate' && snapshot.issues.length === 0) process.stdout.write(`${snapshot.file}: valid, ${snapshot.aliases.length} aliases\n`)
    return errors.length ? 1 : 0
  } finally {
    await app.close()
  }
}

async function masked(app: App, doc: SettingsDocument): Promise<SettingsDocument> {
  const out = structuredClone(doc)
  for (const alias of app.settings.snapshot.aliases) {
    const options = (out[SECTION_OF[alias.kind]] as Record<string, { options?: Record<string, unknown> }>)[alias.name]?.options
    if (!options) continue
    let secrets: string[] = []
    try {
      secrets = secretFields((await app.registry.resolve(alias.kind, alias.entry.engine, app.dataDir)).options)
    } catch {
      /* unknown engine: nothing to mask by schema */
    }
    for (const field of secrets) {
      if (field in options && !isSecretRef(options[field])) options[field] = '«secret in clear text: save the alias in Settings to move it into the secret store»'
    }
  }
  return out
}
