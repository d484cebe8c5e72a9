import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BackplaneError, ErrorCode } from './errors'

/** A custom engine named in settings, found on disk: the file that will be imported and its export. */
export interface EngineModule {
  /** As written in settings (`./x.mjs#Name`, `pkg#Name`). */
  spec: string
  /** The absolute path of the module file (a package's entry for a package). */
  file: string
  exportName: string | undefined
  /** The file's bytes as read for hashing: what trust is checked against. */
  content: Buffer
  sha256: string
}

/** Built-in ids are plain words; anything with a path separator, a dot-slash or a `#` export is a module. */
export function isModuleSpec(spec: string): boolean {
  return isPathSpec(spec) || spec.includes('#') || spec.startsWith('@') || /\.(m?js|cjs)$/.test(spec)
}

function isPathSpec(spec: string): boolean {
  return /^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/]|file:)/.test(spec)
}

/** Whether a bare name is a package installed in the data directory or next to Backplane. */
export function isInstalledPackage(name: string, baseDir: string): boolean {
  return resolvePackage(name, baseDir) !== undefined
}

function resolvePackage(name: string, baseDir: string): string | undefined {
  for (const from of [join(baseDir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve(name)
    } catch {
      /* try the next place */
    }
  }
  return undefined
}

export function splitSpec(spec: string): { modulePart: string; exportName: string | undefined } {
  const hash = spec.lastIndexOf('#')
  // A "#" at the very start is part of a path, not an export (Node's subpath imports).
  if (hash <= 0) return { modulePart: spec, exportName: undefined }
  return { modulePart: spec.slice(0, hash), exportName: spec.slice(hash + 1) || undefined }
}

/**
 * A custom module named by a spec, located and read: refused with E_UNKNOWN_ENGINE when the spec is
 * neither a module path nor an installed package (`builtins` says what the kind offers instead).
 */
export async function locateCustomModule(spec: string, baseDir: string, builtins = 'Built-in engines need no trust.'): Promise<EngineModule> {
  if (!isModuleSpec(spec) && !isInstalledPackage(spec, baseDir)) {
    throw new BackplaneError(ErrorCode.E_UNKNOWN_ENGINE, `"${spec}" is not a built-in engine, a module path or an installed package.`, {
      hint: `${builtins} A custom engine is a module path such as "./my-engine.mjs#MyEngine" (relative to the data directory) or an installed package name.`,
    })
  }
  return locateEngineModule(spec, baseDir)
}

export function sha256(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex')
}

/**
 * Finds and reads the module behind a spec: paths relative to `baseDir` (the data directory, beside
 * settings.json) or absolute; packages installed in baseDir or next to Backplane. Nothing is imported.
 */
export async function locateEngineModule(spec: string, baseDir: string): Promise<EngineModule> {
  const { modulePart, exportName } = splitSpec(spec)
  let file: string
  if (isPathSpec(modulePart)) {
    file = modulePart.startsWith('file:') ? fileURLToPath(modulePart) : isAbsolute(modulePart) ? modulePart : resolve(baseDir, modulePart)
  } else {
    const found = resolvePackage(modulePart, baseDir)
    if (!found) {
      throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `Package "${modulePart}" is not installed.`, {
        hint: `Install it in ${baseDir} (npm install ${modulePart}) or use a module path such as "./engine.mjs#Name".`,
      })
    }
    file = found
  }
  const content = await readModuleFile(file, baseDir)
  return { spec, file, exportName, content, sha256: sha256(content) }
}

/** Larger than any engine module; a path the API names must not make Backplane read gigabytes. */
const MAX_MODULE_BYTES = 8 * 1024 * 1024

/**
 * The module's bytes, read from a regular file only: the API can name any path, and a pipe would never
 * answer (holding one of the few threads file operations share) while /dev/zero would never end.
 */
async function readModuleFile(file: string, baseDir: string): Promise<Buffer> {
  let handle
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, code === 'EISDIR' ? `Engine module ${file} is a folder, not a file.` : `Engine module ${file} does not exist.`, {
      cause: err,
      hint: `A relative path starts from ${baseDir} (the data directory; for test-engine, the current folder). Use an absolute path, or move the module there.`,
    })
  }
  try {
    const info = await handle.stat()
    if (info.isDirectory()) throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `Engine module ${file} is a folder, not a file.`)
    if (!info.isFile()) throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `Engine module ${file} is not a regular file (a pipe, socket or device).`)
    if (info.size > MAX_MODULE_BYTES) throw new BackplaneError(ErrorCode.E_ENGINE_LOAD, `Engine module ${file} is ${info.size} bytes; an engine module is at most ${MAX_MODULE_BYTES}.`)
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}
