import { optionsJsonSchema, secretPaths } from '../../core/secret-options'
import { KINDS, type Kind } from '../../core/schemas/kinds'
import { viewOptions } from '../../services/alias-secrets'
import type { EngineDefinition } from '../../core/engine'
import type { LoadedAlias } from '../../core/settings/settings-store'
import { BackplaneError, ErrorCode, toBackplaneError } from '../../core/errors'
import type { AppServices } from '../app-services'
import type { AliasView, EngineView, SettingsView } from '../contract'
import type { HandlerGroup } from '../router'

type SettingsMethods =
  | 'settings.get'
  | 'settings.engines'
  | 'settings.saveAlias'
  | 'settings.testAlias'
  | 'settings.renameAlias'
  | 'settings.duplicateAlias'
  | 'settings.deleteAlias'
  | 'settings.reload'
  | 'settings.recover'

export const settingsHandlers: HandlerGroup<SettingsMethods> = {
  'settings.get': (_input, { app }) => settingsView(app),
  'settings.engines': async ({ kind, spec }, { app }) => {
    if (spec === undefined) return engineViews(app, kind)
    if (!kind) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, 'Name the kind of the engine module too.', { details: { issues: [{ path: ['kind'], message: 'Required with spec.' }] } })
    return [await customEngineView(app, kind, spec)]
  },
  'settings.saveAlias': async (draft, { app }) => {
    if (draft.previousName && draft.previousName !== draft.name) await app.editor.rename(draft.kind, draft.previousName, draft.name)
    await app.editor.save(draft)
    await app.settingsChanged()
    const saved = app.settings.alias(draft.kind, draft.name)
    if (!saved) throw new BackplaneError(ErrorCode.E_INTERNAL, `Alias "${draft.name}" was saved but is not in the settings.`)
    return aliasView(app, saved)
  },
  'settings.testAlias': (draft, { app }) => app.editor.test(draft),
  'settings.renameAlias': async ({ kind, from, to }, { app }) => {
    await app.editor.rename(kind, from, to)
    await app.settingsChanged()
    return { ok: true }
  },
  'settings.duplicateAlias': async ({ kind, from, to }, { app }) => {
    await app.editor.duplicate(kind, from, to)
    await app.settingsChanged()
    return { ok: true }
  },
  'settings.deleteAlias': async ({ kind, name }, { app }) => {
    await app.editor.delete(kind, name)
    await app.settingsChanged()
    return { ok: true }
  },
  'settings.reload': async (_input, { app }) => {
    await app.settings.load()
    await app.settingsChanged()
    return settingsView(app)
  },
  'settings.recover': async (_input, { app }) => {
    const { backup } = await app.settings.recover()
    await app.settingsChanged()
    return { backup: backup ?? null }
  },
}

async function settingsView(app: AppServices): Promise<SettingsView> {
  const snapshot = app.settings.snapshot
  return {
    file: snapshot.file,
    status: snapshot.status,
    aliases: await Promise.all(snapshot.aliases.map((a) => aliasView(app, a))),
    issues: snapshot.issues,
  }
}

/**
 * Secret options are reported as set or not, never with their value or even their reference: a
 * `{ $stored: path }` marker stands where one is (a URL option's `{ $stored, $url }` without its password).
 */
async function aliasView(app: AppServices, alias: LoadedAlias): Promise<AliasView> {
  let patterns: string[] | undefined
  try {
    patterns = secretPaths((await app.registry.resolve(alias.kind, alias.entry.engine, app.dataDir)).options)
  } catch {
    /* an engine that does not load has no schema to consult: secrets are told by their names and URL passwords, and the settings issues say why */
  }
  const { options, secrets } = viewOptions(alias.entry.options ?? {}, patterns)
  return { kind: alias.kind, name: alias.name, engine: alias.entry.engine, valid: alias.valid, options, secrets }
}

async function engineViews(app: AppServices, only?: Kind): Promise<EngineView[]> {
  const views: EngineView[] = []
  for (const kind of only ? [only] : KINDS) {
    for (const engine of app.registry.list(kind)) views.push(engineView(engine, false))
    const customSpecs = new Set(app.settings.snapshot.aliases.filter((a) => a.kind === kind && !app.registry.list(kind).some((e) => e.id === a.entry.engine)).map((a) => a.entry.engine))
    for (const spec of customSpecs) views.push(await customEngineView(app, kind, spec))
  }
  return views
}

/** A custom engine as the settings form sees it; one that does not load (untrusted, broken) says why. */
async function customEngineView(app: AppServices, kind: Kind, spec: string): Promise<EngineView> {
  if (app.registry.isBuiltin(kind, spec)) return engineView(await app.registry.resolve(kind, spec, app.dataDir), false)
  try {
    return engineView(await app.registry.resolve(kind, spec, app.dataDir), true)
  } catch (err) {
    return { kind, id: spec, title: spec, schema: { type: 'object', additionalProperties: true }, secretFields: [], custom: true, error: toBackplaneError(err).toPayload() }
  }
}

function engineView(engine: EngineDefinition, custom: boolean): EngineView {
  return {
    kind: engine.kind,
    id: engine.id,
    title: engine.title,
    ...(engine.description ? { description: engine.description } : {}),
    schema: optionsJsonSchema(engine.options),
    secretFields: secretPaths(engine.options),
    custom,
  }
}
