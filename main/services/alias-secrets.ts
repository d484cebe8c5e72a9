import { BackplaneError, ErrorCode } from '../core/errors'
import { defineOwn, mapOwnValues } from '../core/secret-options'
import { rememberSecret } from '../core/redact'
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
  /**
   * The alias's options as stored, for what is kept: only when the engine stays the same, since a secret
   * kept across engines could be handed to an engine that puts it somewhere readable.
   */
  previous: Record<string, unknown> | undefined
  store: SecretStore
}

const MAX_DEPTH = 32
const URL_WITH_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/\S+$/

/**
 * Options that say where a secret is sent. A stored secret is kept only while they stay as they were
 * (compared at every level above the secret), and a URL's stored password only while the URL's scheme,
 * user, host and port do: otherwise anyone who can edit an alias could send its password to a host of
 * their own.
 */
const TARGET_KEY = /^(host|hostname|port|url|uri|location|endpoint|address|server|dsn|socket|socketpath|region)$/i

/** A secret the draft keeps: where it was stored, and where it goes. */
interface Carry {
  from: string
  to: string[]
  /** For a URL option: the URL the password goes with. */
  url?: string
}

/**
 * Turns an alias draft into what settings.json may hold: no secret value at any depth, a URL's password
 * moved into the secret store, secrets the draft keeps carried along (to new ids when an array item
 * moved). A `$secret` reference sent by the renderer is never taken: it could name another alias's
 * secret. A kept secret may only land where the engine declares a secret, and only while the options
 * saying where it is sent are unchanged; otherwise the draft is refused, asking for the secret again.
 */
export async function planSecrets(draft: SecretDraft): Promise<SecretPlan> {
  const { kind, alias, patterns, previous, store } = draft
  const idOf = (path: readonly string[]) => `${SECTION_OF[kind]}.${alias}.${joinPath(path)}`
  const newSecrets = new Map<string, string>()
  const isSecretLeaf = (path: readonly string[]) => matchesSecretPath(path, patterns)
  const carries: Carry[] = []

  const newUrlSecret = (url: string, password: string, path: string[]) => {
    newSecrets.set(idOf(path), password)
    return { $url: url, $secret: idOf(path) }
  }

  const transform = (value: unknown, path: string[]): unknown => {
    if (path.length > MAX_DEPTH) throw new BackplaneError(ErrorCode.E_INVALID_OPTIONS, `The options are nested deeper than ${MAX_DEPTH} levels.`)
    if (isStoredSecret(value)) {
      if (value.$url !== undefined) {
        const typed = splitUrlPassword(value.$url)
        if (typed) return newUrlSecret(typed.url, typed.password, path)
        carries.push({ from: value.$stored, to: path, url: value.$url })
        return value.$url
      }
      // A stored secret goes only where the engine declares a secret, never into an option it shows or writes out.
      if (isSecretLeaf(path)) carries.push({ from: value.$stored, to: path })
      return undefined
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
    if (Array.isArray(value)) return value.map((item, i) => transform(item, [...path, String(i)]))
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) {
        const next = transform(item, [...path, key])
        if (next !== undefined) defineOwn(out, key, next)
      }
      return out
    }
    return value
  }

  const options = transform(draft.options, []) as Record<string, unknown>

  // A secret outside any array that the draft leaves out is kept where it was (the form never sees values).
  for (const pattern of patterns) {
    if (pattern.split('/').includes('*')) continue
    const segments = splitPath(pattern)
    if (Object.hasOwn(draft.secrets, pattern) || valueAt(options, segments) !== undefined || carries.some((c) => joinPath(c.to) === pattern)) continue
    if (!isPlainObject(parentOf(options, segments))) continue
    carries.push({ from: pattern, to: segments })
  }

  const given = new Set<string>()
  for (const [path, value] of Object.entries(draft.secrets)) {
    if (value === '') continue
    given.add(path)
    applyGivenSecret(options, path, value, { isSecretLeaf, idOf, newSecrets, newUrlSecret })
  }

  const refused: string[] = []
  for (const carry of carries) {
    const here = joinPath(carry.to)
    if (given.has(here)) continue
    const kept = await keep(carry, previous, options, isSecretLeaf, idOf, store, newSecrets)
    if (kept === 'moved-target') refused.push(here)
    else if (kept) defineOwn(parentOf(options, carry.to) as Record<string, unknown>, carry.to.at(-1)!, kept)
  }
  if (refused.length > 0) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `Where ${refused.map((p) => `"${p}"`).join(', ')} ${refused.length === 1 ? 'is' : 'are'} sent has changed, so the stored secret${refused.length === 1 ? ' is' : 's are'} not kept: type ${refused.length === 1 ? 'it' : 'them'} again.`, {
      hint: 'A stored password never follows a changed host, port or URL, so nobody who can edit an alias can send it elsewhere.',
      details: { issues: refused.map((p) => ({ path: ['secrets', p], message: 'Type it again: where it is sent has changed.' })) },
    })
  }

  // A value typed in a draft reaches the engine in a Test before it is stored: mask it from here on too.
  for (const value of newSecrets.values()) rememberSecret(value)
  return { options, plain: inline(options, newSecrets), newSecrets }
}

/** What a carried secret becomes: a reference under its new id, nothing, or a refusal when its target moved. */
async function keep(
  carry: Carry,
  previous: Record<string, unknown> | undefined,
  options: Record<string, unknown>,
  isSecretLeaf: (path: readonly string[]) => boolean,
  idOf: (path: readonly string[]) => string,
  store: SecretStore,
  newSecrets: Map<string, string>,
): Promise<{ $secret: string } | { $url: string; $secret: string } | 'moved-target' | undefined> {
  const fromSegments = splitPath(carry.from)
  // A marker keeps its secret in its own place, or in its list at another index (an item moved up):
  // never in another option, where the engine might show it or send it elsewhere.
  if (shapeOf(fromSegments) !== shapeOf(carry.to)) return undefined
  const prev = valueAt(previous, fromSegments)
  const id = idOf(carry.to)
  let secret: { value?: string; ref?: string; url?: string } | undefined
  if (isSecretRef(prev) && carry.url === undefined) secret = { ref: prev.$secret }
  else if (isSecretUrlRef(prev) && carry.url !== undefined) secret = { ref: prev.$secret, url: prev.$url }
  else if (typeof prev === 'string' && carry.url === undefined && isSecretLeaf(fromSegments)) secret = { value: prev }
  else if (typeof prev === 'string' && carry.url !== undefined) {
    const typed = splitUrlPassword(prev)
    if (typed) secret = { value: typed.password, url: typed.url }
  }
  if (!secret) return undefined
  const sameTarget = targetOf(options, carry.to) === targetOf(previous, fromSegments) && (carry.url === undefined || origin(carry.url) === origin(secret.url ?? ''))
  if (!sameTarget) return 'moved-target'
  if (secret.ref !== id) {
    const value = secret.value ?? (await store.get(secret.ref!))
    if (value === undefined) return undefined
    newSecrets.set(id, value)
  }
  return carry.url === undefined ? { $secret: id } : { $url: carry.url, $secret: id }
}

/** A path with its list indices left out: `servers/1/password` and `servers/0/password` are the same place. */
function shapeOf(segments: readonly string[]): string {
  return segments.map((s) => (/^\d+$/.test(s) ? '*' : s)).join('/')
}

/** The target options on every level above a leaf (not the leaf itself), as one comparable string. */
function targetOf(tree: unknown, segments: readonly string[]): string {
  const parts: string[] = []
  let node = tree
  for (let depth = 0; depth < segments.length; depth++) {
    if (isPlainObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === segments[depth] || !TARGET_KEY.test(key)) continue
        parts.push(`${depth}/${key}=${JSON.stringify(targetValue(value))}`)
      }
    }
    node = typeof node === 'object' && node !== null && Object.hasOwn(node, segments[depth]!) ? (node as Record<string, unknown>)[segments[depth]!] : undefined
  }
  return parts.sort().join('\n')
}

/** A target option's value as compared: a URL by its origin, whether its password is stored or not. */
function targetValue(value: unknown): unknown {
  if (isSecretUrlRef(value) || isStoredSecret(value)) return value.$url === undefined ? null : origin(value.$url)
  if (typeof value === 'string' && URL_WITH_SCHEME.test(value)) return origin(splitUrlPassword(value)?.url ?? value)
  return typeof value === 'object' ? null : value
}

/** scheme://user@host:port of a URL, lower-cased where case does not matter; the text itself when it does not parse. */
function origin(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${decodeURIComponent(u.username)}@${u.hostname.toLowerCase()}:${u.port}`
  } catch {
    return url
  }
}

function parentOf(options: Record<string, unknown>, segments: readonly string[]): unknown {
  return segments.length === 1 ? options : valueAt(options, segments.slice(0, -1))
}

/** A secret typed in the form, by path: into a write-only option, an item of a list of secrets, or a URL's password. */
function applyGivenSecret(
  options: Record<string, unknown>,
  path: string,
  given: string | null,
  { isSecretLeaf, idOf, newSecrets, newUrlSecret }: {
    isSecretLeaf: (path: readonly string[]) => boolean
    idOf: (path: readonly string[]) => string
    newSecrets: Map<string, string>
    newUrlSecret: (url: string, password: string, path: string[]) => unknown
  },
): void {
  const segments = splitPath(path)
  const parent = parentOf(options, segments)
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
  const target = parent as Record<string, unknown>
  if (given === null) {
    if (urlAt !== undefined) defineOwn(target, key, urlAt)
    else if (inList) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `secrets["${path}"] cannot be cleared: it is an item of a list.`, {
        hint: 'Remove the item from the list instead.',
        details: { issues: [{ path: ['secrets', path], message: 'Remove the item instead.' }] },
      })
    } else delete target[key]
  } else if (urlAt !== undefined) {
    defineOwn(target, key, newUrlSecret(splitUrlPassword(urlAt)?.url ?? urlAt, given, segments))
  } else {
    newSecrets.set(idOf(segments), given)
    defineOwn(target, key, { $secret: idOf(segments) })
  }
}

/** The options with the new values put in place of their references (the stored ones stay references). */
function inline(value: unknown, values: ReadonlyMap<string, string>): never {
  if (isSecretRef(value)) return (values.get(value.$secret) ?? value) as never
  if (isSecretUrlRef(value)) {
    const password = values.get(value.$secret)
    return (password === undefined ? value : withUrlPassword(value.$url, password)) as never
  }
  if (Array.isArray(value)) return value.map((item) => inline(item, values)) as never
  if (isPlainObject(value)) return mapOwnValues(value, (item) => inline(item, values)) as never
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
  if (isPlainObject(options)) return mapOwnValues(options, (item) => rekeySecrets(item, rename))
  return options
}

/**
 * The options as the renderer may see them: each secret a `{ $stored: path }` marker (a URL option's
 * `{ $stored, $url }` without its password), whether it is in the store or was typed into settings.json
 * by hand, plus which declared secrets are set.
 */
export function viewOptions(
  options: Record<string, unknown>,
  /** The engine's secret paths; undefined when its schema is unknown (it does not load), so names must tell. */
  patterns: readonly SecretPath[] | undefined,
): { options: Record<string, unknown>; secrets: Record<string, boolean> } {
  const known = patterns ?? []
  const secrets: Record<string, boolean> = {}
  const walk = (value: unknown, path: string[]): unknown => {
    const here = joinPath(path)
    if (isSecretRef(value)) return mark(here, { $stored: here })
    if (isSecretUrlRef(value)) return mark(here, { $stored: here, $url: value.$url })
    if (typeof value === 'string') {
      if (path.length > 0 && (matchesSecretPath(path, known) || (patterns === undefined && looksSecret(path.at(-1)!)))) return mark(here, { $stored: here })
      const typed = splitUrlPassword(value)
      return typed ? mark(here, { $stored: here, $url: typed.url }) : value
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, String(i)]))
    if (isPlainObject(value)) return mapOwnValues(value, (item, key) => walk(item, [...path, key]))
    return value
  }
  const mark = (path: string, marker: { $stored: string; $url?: string }) => {
    secrets[path] = true
    return marker
  }
  const viewed = walk(options, []) as Record<string, unknown>
  for (const pattern of known) if (!pattern.split('/').includes('*')) secrets[pattern] ??= false
  return { options: viewed, secrets }
}

/** Option names that hold secrets by the usual naming, for options no schema describes. */
const SECRET_NAME = /(pass(word|phrase|wd)?|secret|token|api[-_]?key|private[-_]?key|credential)/i

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name)
}

/**
 * Any JSON with every string masked whose key looks like a secret's, or that holds a URL password: for
 * settings that no engine schema describes (an alias that does not load, the services section).
 */
export function maskByName(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (looksSecret(key)) return '«secret in clear text»'
    const typed = splitUrlPassword(value)
    return typed ? withUrlPassword(typed.url, '«secret in clear text»') : value
  }
  if (isSecretRef(value) || isSecretUrlRef(value)) return value
  if (Array.isArray(value)) return value.map((item) => maskByName(item, key))
  if (isPlainObject(value)) return mapOwnValues(value, (item, k) => maskByName(item, k))
  return value
}
