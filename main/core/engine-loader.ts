import { register } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { EngineModule } from './engine-module'
import { BackplaneError, ErrorCode } from './errors'
import type { Logger } from './log'

/**
 * Module hooks for custom engines, run by Node's loader (in its own thread):
 * - `backplane/engine` resolves to the SDK of the running Backplane, from a module anywhere (the data
 *   directory has no node_modules), so an engine extends the very base classes the app uses;
 * - a URL carrying `backplane-sha256` is loaded from bytes read once and hashed in the hook itself,
 *   so what runs is exactly the content that was trusted: replacing the file between the trust check
 *   and the import fails the import instead of running the new code.
 * The bytes are returned as they are (only the format is taken from Node's own loader), so no other
 * hook (tsx in a checkout) transforms the entry behind the hash's back.
 */
const HOOKS = `
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
let sdkUrl
export function initialize(data) { sdkUrl = data && data.sdkUrl }
export async function resolve(specifier, context, next) {
  // Resolved through the rest of the chain, so a loader that runs the sources (tsx) knows the file.
  if (sdkUrl && specifier === 'backplane/engine') return next(sdkUrl, context)
  return next(specifier, context)
}
export async function load(url, context, next) {
  if (!url.startsWith('file:')) return next(url, context)
  const expected = new URL(url).searchParams.get('backplane-sha256')
  if (!expected) return next(url, context)
  const source = await readFile(fileURLToPath(url))
  const actual = createHash('sha256').update(source).digest('hex')
  if (actual !== expected) {
    const error = new Error('The engine module ' + fileURLToPath(url) + ' changed while it was being loaded, so it was not run.')
    error.code = '${ErrorCode.E_ENGINE_UNTRUSTED}'
    throw error
  }
  const { format } = await next(url, context)
  return { format, source, shortCircuit: true }
}
`

let installed: 'hooks' | 'plain' | undefined

/**
 * Installs the hooks once per process. Where Node cannot register hooks (an old runtime), engines still
 * load after the trust check, but between that check and the import the file is not watched.
 */
export function installEngineLoader(sdkUrl: string | undefined, log?: Pick<Logger, 'warn'>): 'hooks' | 'plain' {
  if (installed) return installed
  try {
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: { sdkUrl } })
    installed = 'hooks'
  } catch (err) {
    installed = 'plain'
    log?.warn(`Node's module hooks are not available (${(err as Error).message}): custom engines load after the trust check without the load-time hash check, and "backplane/engine" resolves only where Node finds it.`)
  }
  return installed
}

/** Imports a located (and, by the caller, trusted) module: its exact hashed content, under a URL of that hash. */
export async function importEngineModule(module: EngineModule, commandFor?: (spec: string) => string): Promise<Record<string, unknown>> {
  // The hash in the URL also keys Node's module cache: an edited (and re-trusted) file loads afresh.
  const url = `${pathToFileURL(module.file).href}?backplane-sha256=${module.sha256}`
  try {
    return (await import(/* @vite-ignore */ url)) as Record<string, unknown>
  } catch (err) {
    if ((err as { code?: unknown }).code === ErrorCode.E_ENGINE_UNTRUSTED) {
      const command = commandFor?.(module.spec)
      throw new BackplaneError(ErrorCode.E_ENGINE_UNTRUSTED, (err as Error).message, {
        hint: `Check who else writes to that folder, then trust the module again once you have read it${command ? `: ${command}` : '.'}`,
        details: { file: module.file, spec: module.spec, ...(command ? { command } : {}) },
      })
    }
    throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `Could not load the engine module ${module.file}: ${(err as Error).message}`, {
      cause: err,
      hint: 'Check that it is valid JavaScript (an ES module or CommonJS) and that what it imports is installed. See docs/custom-engines.md.',
    })
  }
}
