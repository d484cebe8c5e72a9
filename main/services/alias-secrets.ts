import { BackplaneError, ErrorCode } from '../core/errors'
import { defineOwn } from '../core/secret-options'
import { joinPath, matchesSecretPath, splitPath, valueAt, type SecretPath } from '../core/secret-paths'
import { SECTION_OF, isSecretRef, isSecretUrlRef, isStoredSecret, type Kind } from '../core/schemas/kinds'
import type { SecretStore } from '../core/secrets/secret-store'
import { isPlainObject } from '../core/settings/settings-document'
import { splitUrlPassword, withUrlPassword } from '../core/url-credentials'

/** What a save writes: the entry's options (references only), and the secret values to store first. */
export interface SecretPlan {
  /** For settings.json: every secret a `{ "$secret": id }`, every URL password a `{ "$url", "$secret" }`. */
  options: Record<string, unknown>
  /** The same with the new values inlined, for validating and testing a draft before anything is stored. */
  plain: Record<string, unknown>
  newSecrets: Map<string, string>
}

export interface SecretDraft {
  kind: Kind
  alias: string
  /** Where the engine's schema declares secrets (`servers/*\/password`). */
  patterns: readonly SecretPath[]
  /** The draft's options: secret leaves absent (kept, outside arrays), a `{ $stored }` marker (kept or moved), or typed. */
  options: Record<string, unknown>
  /** New values by path; null clears one; an empty string changes nothing. */
  secrets: Record<string, string | null>
  /** The alias's options as stored, for what is kept. */
  previous: Record<string, unknown> | undefined
  store: SecretStore
}

const MAX_DEPTH = 32
const URL_WITH_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/\S+$/

/**
 * Turns an alias draft into what settings.json may hold: no secret value at any depth, a URL's password
 * moved into the secret store, secrets the draft keeps carried along (to new ids when an array item
 * moved). A `$secret` reference sent by the renderer is never taken: it could name another alias's secret.
 */
export async function planSecrets(draft: SecretDraft): Promise<SecretPlan> {
  const { kind, alias, patterns, previous, store } = draft
  const idOf = (path: readonly string[]) => `${SECTION_OF[kind]}.${alias}.${joinPath(path)}`
  const newSecrets = new Map<string, string>()
  const isSecretLeaf = (path: readonly string[]) => matchesSecretPath(path, patterns)

  /** The stored secret at `from` (or a value typed in clear there), under the id of `to`. */
  const carry = async (from: string, to: string[]): Promise<{ id: string; url?: string } | undefined> => {
    const prev = valueAt(previous, splitPath(from))
    const id = idOf(to)
    if (isSecretRef(prev) || isSecretUrlRef(prev)) {
      if (prev.$secret !== id) {
        const value = await store.get(prev.$secret)
        if (value === undefined) return undefined
        newSecrets.set(id, value)
      }
      return isSecretUrlRef(prev) ? { id, url: prev.$url } : { id }
    }
    if (typeof prev === 'string' && isSecretLeaf(splitPath(from))) {
      newSecrets.set(id, prev)
      return { id }
    }
    const typed = typeof prev === 'string' ? splitUrlPassword(prev) : undefined
    if (typed) {
      newSecrets.set(id, typed.password)
      return { id, url: typed.url }
    }
    return undefined
  }

  const transform = async (value: unknown, path: string[]): Promise<unknown> => {
    if (path.length > MAX_DEPTH) throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `The options are nested deeper than ${MAX_DEPTH} levels.`)
    if (isStoredSecret(value)) {
      const kept = await carry(value.$stored, path)
      if (value.$url !== undefined) {
        const typed = splitUrlPassword(value.$url)
        if (typed) return newUrlSecret(typed.url, typed.password, path)
        return kept ? { $url: value.$url, $secret: kept.id } : value.$url
      }
      return kept && kept.url === undefined ? { $secret: kept.id } : undefined
    }
    if (isPlainObject(value) && Object.hasOwn(value, '$secret')) return undefined
    if (typeof value === 'string') {
      if (isSecretLeaf(path)) {
        if (value === '') return undefined
        newSecrets.set(idOf(path), value)
        return { $secret: idOf(path) }
      }
      const typed = splitUrlPassword(value)
      return typed ? newUrlSecret(typed.url, typed.password, path) : value
    }
    if (Array.isArray(value)) {
      const out: unknown[] = []
      for (const [i, item] of value.entries()) out.push(await transform(item, [...path, String(i)]))
      return out
    }
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) {
        const next = await transform(item, [...path, key])
        if (next !== undefined) defineOwn(out, key, next)
      }
      return out
    }
    return value
  }

  const newUrlSecret = (url: string, password: string, path: string[]) => {
    newSecrets.set(idOf(path), password)
    return { $url: url, $secret: idOf(path) }
  }

  const options = (await transform(draft.options, [])) as Record<string, unknown>

  // A secret outside any array that the draft leaves out is kept where it was (the form never sees values).
  for (const pattern of patterns) {
    if (pattern.split('/').includes('*')) continue
    const segments = splitPath(pattern)
    if (Object.hasOwn(draft.secrets, pattern) || valueAt(options, segments) !== undefined) continue
    const parent = segments.length === 1 ? options : valueAt(options, segments.slice(0, -1))
    if (!isPlainObject(parent)) continue
    const kept = await carry(pattern, segments)
    if (kept && kept.url === undefined) defineOwn(parent, segments.at(-1)!, { $secret: kept.id })
  }

  for (const [path, given] of Object.entries(draft.secrets)) {
    if (given === '') continue
    const segments = splitPath(path)
    const parent = segments.length === 1 ? options : valueAt(options, segments.slice(0, -1))
    const key = segments.at(-1)
    const current = valueAt(options, segments)
    // A password can go into a URL option (one with a scheme://), never into any other text option.
    const urlAt = isSecretUrlRef(current) ? current.$url : typeof current === 'string' && !isSecretLeaf(segments) && URL_WITH_SCHEME.test(current) ? current : undefined
    // A secret's place is a key of an object, or an item of a list of secrets (`tokens/1`).
    const inList = Array.isArray(parent) && key !== undefined && /^\d+$/.test(key) && Number(key) < parent.length
    if (!key || !(isPlainObject(parent) || inList) || (!isSecretLeaf(segments) && urlAt === undefined)) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `secrets["${path}"] names no secret option of this engine.`, {
        hint: 'Secrets are set by the path of a write-only option (or of a URL option, for its password).',
        details: { issues: [{ path: ['secrets', path], message: 'No secret option at this path.' }] },
      })
    }
    if (given === null) {
      if (urlAt !== undefined) defineOwn(parent as Record<string, unknown>, key, urlAt)
      else if (inList) {
        throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `secrets["${path}"] cannot be cleared: it is an item of a list.`, {
          hint: 'Remove the item from the list instead.',
          details: { issues: [{ path: ['secrets', path], message: 'Remove the item instead.' }] },
        })
      } else delete (parent as Record<string, unknown>)[key]
    } else if (urlAt !== undefined) {
      defineOwn(parent as Record<string, unknown>, key, newUrlSecret(splitUrlPassword(urlAt)?.url ?? urlAt, given, segments))
    } else {
      newSecrets.set(idOf(segments), given)
      defineOwn(parent as Record<string, unknown>, key, { $secret: idOf(segments) })
    }
  }

  return { options, plain: inline(options, newSecrets), newSecrets }
}

/** The options with the new values put in place of their references (the stored ones stay references). */
function inline(value: unknown, values: ReadonlyMap<string, string>): never {
  if (isSecretRef(value)) return (values.get(value.$secret) ?? value) as never
  if (isSecretUrlRef(value)) {
    const password = values.get(value.$secret)
    return (password === undefined ? value : withUrlPassword(value.$url, password)) as never
  }
  if (Array.isArray(value)) return value.map((item) => inline(item, values)) as never
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) defineOwn(out, key, inline(item, values))
    return out as never
  }
  return value as never
}

/** Every secret id an alias's options refer to. */
export function referencedSecrets(options: unknown, into = new Set<string>()): Set<string> {
  if (isSecretRef(options) || isSecretUrlRef(options)) into.add(options.$secret)
  else if (Array.isArray(options)) for (const item of options) referencedSecrets(item, into)
  else if (isPlainObject(options)) for (const item of Object.values(options)) referencedSecrets(item, into)
  return into
}

/** Rewrites every reference of an alias to the ids of another alias name (a rename or a duplicate). */
export function rekeySecrets(options: unknown, rename: (id: string) => string): unknown {
  if (isSecretRef(options)) return { $secret: rename(options.$secret) }
  if (isSecretUrlRef(options)) return { $url: options.$url, $secret: rename(options.$secret) }
  if (Array.isArray(options)) return options.map((item) => rekeySecrets(item, rename))
  if (isPlainObject(options)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(options)) defineOwn(out, key, rekeySecrets(item, rename))
    return out
  }
  return options
}

/**
 * The options as the renderer may see them: each secret a `{ $stored: path }` marker (a URL option's
 * `{ $stored, $url }` without its password), whether it is in the store or was typed into settings.json
 * by hand, plus which declared secrets are set.
 */
export function viewOptions(options: Record<string, unknown>, patterns: readonly SecretPath[]): { options: Record<string, unknown>; secrets: Record<string, boolean> } {
  const secrets: Record<string, boolean> = {}
  const walk = (value: unknown, path: string[]): unknown => {
    const here = joinPath(path)
    if (isSecretRef(value)) return mark(here, { $stored: here })
    if (isSecretUrlRef(value)) return mark(here, { $stored: here, $url: value.$url })
    if (typeof value === 'string') {
      if (path.length > 0 && matchesSecretPath(path, patterns)) return mark(here, { $stored: here })
      const typed = splitUrlPassword(value)
      return typed ? mark(here, { $stored: here, $url: typed.url }) : value
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, String(i)]))
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) defineOwn(out, key, walk(item, [...path, key]))
      return out
    }
    return value
  }
  const mark = (path: string, marker: { $stored: string; $url?: string }) => {
    secrets[path] = true
    return marker
  }
  const viewed = walk(options, []) as Record<string, unknown>
  for (const pattern of patterns) if (!pattern.split('/').includes('*')) secrets[pattern] ??= false
  return { options: viewed, secrets }
}
