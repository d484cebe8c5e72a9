import { App } from '../../api/app'
import { secretPaths } from '../../core/secret-options'
import { SECTION_OF, isSecretRef, isSecretUrlRef, isStoredSecret } from '../../core/schemas/kinds'
import { isPlainObject, type SettingsDocument } from '../../core/settings/settings-document'
import { maskByName, viewOptions } from '../../services/alias-secrets'
import { withUrlPassword } from '../../core/url-credentials'
import { countOf } from '../../core/schemas/count-noun'

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
    if (action === 'validate' && snapshot.issues.length === 0) process.stdout.write(`${snapshot.file}: valid, ${countOf(snapshot.aliases.length, 'alias')}\n`)
    return errors.length ? 1 : 0
  } finally {
    await app.close()
  }
}

/** The document as it may be shown: each alias's options as the GUI sees them (secrets as markers, URL passwords gone). */
async function masked(app: App, doc: SettingsDocument): Promise<SettingsDocument> {
  // Everything no engine schema describes (other sections, services, entries that do not load) is masked by names first.
  const out = maskByName(structuredClone(doc)) as SettingsDocument
  for (const alias of app.settings.snapshot.aliases) {
    const entry = (out[SECTION_OF[alias.kind]] as Record<string, { options?: Record<string, unknown> }>)[alias.name]
    const original = (doc[SECTION_OF[alias.kind]] as Record<string, { options?: Record<string, unknown> }>)[alias.name]
    if (!entry?.options || !original?.options) continue
    let patterns: string[] | undefined
    try {
      patterns = secretPaths((await app.registry.resolve(alias.kind, alias.entry.engine, app.dataDir)).options)
    } catch {
      /* unknown engine: names and URL passwords tell */
    }
    entry.options = showReferences(original.options, viewOptions(original.options, patterns).options)
  }
  return out
}

/** Keeps the store's references as they are (they are not secret), and what the view masked elsewhere. */
function showReferences(stored: unknown, viewed: unknown): never {
  if (isSecretRef(stored) || isSecretUrlRef(stored)) return stored as never
  if (isStoredSecret(viewed)) {
    const note = '«secret in clear text: save the alias in Settings to move it into the secret store»'
    return (viewed.$url === undefined ? note : withUrlPassword(viewed.$url, note)) as never
  }
  if (Array.isArray(stored) && Array.isArray(viewed)) return stored.map((item, i) => showReferences(item, viewed[i])) as never
  if (isPlainObject(stored) && isPlainObject(viewed)) return Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, showReferences(v, viewed[k])])) as never
  return stored as never
}
