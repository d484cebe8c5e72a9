import { describe, expect, it } from 'vitest'
import { buildOptions } from './build-options'
import { addItem, fieldPaths, moveItem, removeItem, rootState, setAt, withEveryField, type FieldState, type ListState, type ObjectState } from './field-state'
import { describeFields, MAX_FORM_DEPTH, singular, type JsonSchema } from './json-schema'
import { parseNumberText } from './number-text'
import { joinPath, matchesPattern, splitPath, urlHasPassword } from './option-paths'
import { validateForm } from './validate-field'

// What zod 4's toJSONSchema writes for an engine with secrets at several depths (secretString in main/core/engine.ts).
const vault: JsonSchema = {
  type: 'object',
  properties: {
    credentials: {
      type: 'object',
      properties: { accessKey: { type: 'string' }, secretKey: { type: 'string', writeOnly: true, format: 'password' } },
      required: ['accessKey', 'secretKey'],
    },
    servers: {
      default: [],
      type: 'array',
      items: {
        type: 'object',
        properties: {
          host: { type: 'string' },
          port: { default: 6379, type: 'integer', minimum: 1, maximum: 65535 },
          password: { type: 'string', writeOnly: true, format: 'password' },
        },
        required: ['host'],
      },
    },
    privateKey: { type: 'string', writeOnly: true, format: 'password', 'x-multiline': true },
    location: { type: 'string', description: 'A URL' },
    retries: { default: 3, type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
    ratio: { type: 'number' },
    weights: { type: 'array', items: { type: 'number' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    tls: { type: 'object', properties: { cert: { type: 'string' }, verify: { type: 'boolean', default: true } }, required: ['cert'] },
  },
  required: ['credentials', 'location'],
}
const secretFields = ['credentials/secretKey', 'servers/*/password', 'privateKey']
const fields = describeFields(vault)

/** The alias as settings.get shows it: a marker wherever a secret is stored. */
const view = {
  credentials: { accessKey: 'AKIA', secretKey: { $stored: 'credentials/secretKey' } },
  servers: [
    { host: 'one', port: 1, password: { $stored: 'servers/0/password' } },
    { host: 'two', port: 2, password: { $stored: 'servers/1/password' } },
  ],
  privateKey: { $stored: 'privateKey' },
  location: { $stored: 'location', $url: 'redis://user@cache:6379/0' },
}

const servers = (state: ObjectState) => state.fields.servers as ListState
const serversField = fields.find((field) => field.name === 'servers')!

describe('describing nested options', () => {
  const byName = Object.fromEntries(fields.map((field) => [field.name, field]))

  it('makes a group of an object and a list of sub-forms of an array of objects', () => {
    expect(byName.credentials).toMatchObject({ control: 'object', required: true })
    expect(byName.credentials?.fields?.map((f) => [f.name, f.control, f.required])).toEqual([
      ['accessKey', 'text', true],
      ['secretKey', 'secret', true],
    ])
    expect(byName.servers).toMatchObject({ control: 'list', hasDefault: true, default: [] })
    expect(byName.servers?.item).toMatchObject({ name: '*', control: 'object', required: true })
    expect(byName.servers?.item?.fields?.map((f) => f.control)).toEqual(['text', 'number', 'secret'])
  })

  it('knows a multi-line secret, lists numbers one box each, and leaves records to JSON', () => {
    expect(byName.privateKey).toMatchObject({ control: 'secret', multiline: true })
    expect(byName.weights).toMatchObject({ control: 'list', item: { control: 'number' } })
    expect(byName.labels?.control).toBe('json')
  })

  it('edits as JSON what nests deeper than the form goes, and lists of bare secrets', () => {
    let schema: JsonSchema = { type: 'object', properties: { leaf: { type: 'string' } } }
    for (let i = 0; i < MAX_FORM_DEPTH + 1; i++) schema = { type: 'object', properties: { inner: schema } }
    let field = describeFields({ type: 'object', properties: { outer: schema } })[0]
    let depth = 0
    while (field?.control === 'object') {
      field = field.fields?.[0]
      depth++
    }
    expect(depth).toBe(MAX_FORM_DEPTH)
    expect(field?.control).toBe('json')
    expect(describeFields({ type: 'object', properties: { tokens: { type: 'array', items: { type: 'string', writeOnly: true } } } })[0]?.control).toBe('json')
  })

  it('names list items by what one of them is', () => {
    expect(singular('Servers')).toBe('Server')
    expect(singular('Addresses')).toBe('Address')
    expect(singular('Proxies')).toBe('Proxy')
    expect(singular('Weights')).toBe('Weight')
  })
})

describe('the form of a stored alias', () => {
  it('holds markers, never values, and the URL without its password', () => {
    const state = rootState(fields, view)
    const credentials = state.fields.credentials as ObjectState
    expect(credentials.fields.secretKey).toEqual({ kind: 'secret', stored: 'credentials/secretKey', present: true })
    expect(servers(state).items.map((item) => (item.state as ObjectState).fields.password)).toEqual([
      { kind: 'secret', stored: 'servers/0/password', present: true },
      { kind: 'secret', stored: 'servers/1/password', present: true },
    ])
    expect(state.fields.location).toEqual({ kind: 'url', text: 'redis://user@cache:6379/0', stored: 'location', forget: false, present: true })
    expect(state.fields.privateKey).toMatchObject({ kind: 'secret', stored: 'privateKey' })
  })

  it('sends back exactly what it was given when nothing is edited', () => {
    const { options, secrets } = buildOptions(fields, rootState(fields, view), {})
    expect(options).toEqual(view)
    expect(secrets).toEqual({})
  })

  it('has a path for every field, for placing the server issues', () => {
    const paths = fieldPaths(fields, rootState(fields, view))
    for (const path of ['credentials', 'credentials/accessKey', 'servers', 'servers/1', 'servers/1/port', 'location']) expect(paths.has(path)).toBe(true)
    expect(paths.has('servers/2')).toBe(false)
  })
})

describe('building the draft', () => {
  it('keeps each server its own password when the first is removed', () => {
    const state = rootState(fields, view)
    const edited = setAt(state, ['servers'], removeItem(servers(state), 0))
    const { options, secrets } = buildOptions(fields, edited, {})
    expect(options.servers).toEqual([{ host: 'two', port: 2, password: { $stored: 'servers/1/password' } }])
    expect(secrets).toEqual({})
  })

  it('moves the markers along when servers change places', () => {
    const state = rootState(fields, view)
    const { options } = buildOptions(fields, setAt(state, ['servers'], moveItem(servers(state), 1, -1)), {})
    expect(options.servers).toEqual([
      { host: 'two', port: 2, password: { $stored: 'servers/1/password' } },
      { host: 'one', port: 1, password: { $stored: 'servers/0/password' } },
    ])
  })

  it('starts a new server with its password not set, and sends a typed one in secrets at its place', () => {
    const state = rootState(fields, view)
    const added = addItem(servers(state), serversField.item!)
    const item = added.items[2]!.state as ObjectState
    expect(item.fields.password).toEqual({ kind: 'secret', present: false })
    expect(item.fields.port).toMatchObject({ kind: 'number', text: '6379', present: false })
    let edited = setAt(state, ['servers'], added)
    edited = setAt(edited, ['servers', '2', 'host'], { kind: 'value', value: 'three', present: false })
    edited = setAt(edited, ['servers', '2', 'password'], { kind: 'secret', draft: 'pw-three', present: false })
    // A new password for the first server too, and the stored ones of the second are kept.
    edited = setAt(edited, ['servers', '0', 'password'], { kind: 'secret', stored: 'servers/0/password', draft: 'pw-one', present: true })
    const { options, secrets } = buildOptions(fields, edited, {})
    expect(options.servers).toEqual([{ host: 'one', port: 1 }, { host: 'two', port: 2, password: { $stored: 'servers/1/password' } }, { host: 'three' }])
    expect(secrets).toEqual({ 'servers/2/password': 'pw-three', 'servers/0/password': 'pw-one' })
    expect(JSON.stringify(options)).not.toContain('pw-')
  })

  it('clears a stored secret with null, and puts a new nested one in secrets', () => {
    let state = rootState(fields, view)
    state = setAt(state, ['privateKey'], { kind: 'secret', stored: 'privateKey', draft: null, present: true })
    state = setAt(state, ['credentials', 'secretKey'], { kind: 'secret', stored: 'credentials/secretKey', draft: 'new-secret-key', present: true })
    const { options, secrets } = buildOptions(fields, state, {})
    expect(options.privateKey).toBeUndefined()
    expect(options.credentials).toEqual({ accessKey: 'AKIA' })
    expect(secrets).toEqual({ privateKey: null, 'credentials/secretKey': 'new-secret-key' })
  })

  it('creates the object that holds a new secret even when nothing else in it is set', () => {
    const state = setAt(rootState(fields, {}), ['credentials', 'secretKey'], { kind: 'secret', draft: 's3cret', present: false })
    expect(buildOptions(fields, state, {})).toMatchObject({ options: { credentials: {} }, secrets: { 'credentials/secretKey': 's3cret' } })
  })

  it('keeps the stored URL password with an edited URL, and forgets it on request', () => {
    const state = rootState(fields, view)
    const location = state.fields.location as Extract<FieldState, { kind: 'url' }>
    const edited = setAt(state, ['location'], { ...location, text: 'redis://user@other:6380/1' })
    expect(buildOptions(fields, edited, {}).options.location).toEqual({ $stored: 'location', $url: 'redis://user@other:6380/1' })
    const forgotten = setAt(state, ['location'], { ...location, forget: true })
    expect(buildOptions(fields, forgotten, {}).options.location).toBe('redis://user@cache:6379/0')
  })

  it('sends a URL typed with a password as it is, for the server to move the password', () => {
    const state = setAt(rootState(fields, {}), ['location'], { kind: 'value', value: 'redis://user:pw@host:6379/0', present: false })
    expect(buildOptions(fields, state, {}).options.location).toBe('redis://user:pw@host:6379/0')
    expect(urlHasPassword('redis://user:pw@host:6379/0')).toBe(true)
    expect(urlHasPassword('redis://user@host:6379/0')).toBe(false)
    expect(urlHasPassword('http://host:8080/path@x')).toBe(false)
    expect(urlHasPassword('redis://user:1234@host')).toBe(true)
  })

  it('leaves out an optional group nobody filled in, and checks it once someone does', () => {
    const base = { credentials: { accessKey: 'a', secretKey: { $stored: 'credentials/secretKey' } }, location: 'x' }
    let state = rootState(fields, base)
    expect(buildOptions(fields, state, {}).options.tls).toBeUndefined()
    expect(validateForm(fields, state, secretFields)).toEqual({})
    state = setAt(state, ['tls', 'verify'], { kind: 'value', value: false, present: false })
    expect(validateForm(fields, state, secretFields)).toEqual({ 'tls/cert': 'Required.' })
  })
})

describe('numbers are taken as typed', () => {
  it('refuses 1.5 for a whole number and "abc" for any number, and never rounds', () => {
    expect(parseNumberText('1.5', true)).toEqual({ error: 'Enter a whole number.' })
    expect(parseNumberText('abc', false)).toEqual({ error: 'Enter a number.' })
    expect(parseNumberText('12px', false)).toEqual({ error: 'Enter a number.' })
    expect(parseNumberText(' 42 ', true)).toEqual({ value: 42 })
    expect(parseNumberText('-0.25', false)).toEqual({ value: -0.25 })
    expect(parseNumberText('1e3', true)).toEqual({ value: 1000 })
  })

  it('blocks the draft with the message on the field, however deep', () => {
    let state = rootState(fields, view)
    state = setAt(state, ['retries'], { kind: 'number', text: '1.5', present: false })
    state = setAt(state, ['ratio'], { kind: 'number', text: 'abc', present: false })
    state = setAt(state, ['servers', '1', 'port'], { kind: 'number', text: '70000', present: true })
    expect(validateForm(fields, state, secretFields)).toEqual({ retries: 'Enter a whole number.', ratio: 'Enter a number.', 'servers/1/port': 'Must be at most 65535.' })
  })
})

describe('a stored value the schema does not describe', () => {
  const odd = { ...view, retries: '5', location: { host: 'cache' }, servers: [{ host: 'one', port: 'six' }] }

  it('is shown as its JSON with a warning, not coerced', () => {
    const state = rootState(fields, odd)
    expect(state.fields.retries).toMatchObject({ kind: 'mismatch', original: '5', text: '"5"', warning: expect.stringMatching(/^Stored as text, but this option takes a whole number/) })
    expect(state.fields.location).toMatchObject({ kind: 'mismatch', original: { host: 'cache' }, warning: expect.stringMatching(/an object, but this option takes text/) })
    expect((servers(state).items[0]?.state as ObjectState).fields.port).toMatchObject({ kind: 'mismatch', original: 'six' })
  })

  it('is sent back unchanged, and does not block saving, unless edited', () => {
    const state = rootState(fields, odd)
    expect(validateForm(fields, state, secretFields)).toEqual({})
    const { options } = buildOptions(fields, state, {})
    expect(options).toMatchObject({ retries: '5', location: { host: 'cache' }, servers: [{ host: 'one', port: 'six' }] })
  })

  it('once edited, must be of the field type', () => {
    const state = rootState(fields, odd)
    const retries = state.fields.retries as Extract<FieldState, { kind: 'mismatch' }>
    expect(validateForm(fields, setAt(state, ['retries'], { ...retries, text: '"six"' }), secretFields).retries).toBe('Must be a whole number.')
    const fixed = setAt(state, ['retries'], { ...retries, text: '6' })
    expect(validateForm(fields, fixed, secretFields).retries).toBeUndefined()
    expect(buildOptions(fields, fixed, {}).options.retries).toBe(6)
  })

  it('refuses a secret typed into JSON, but lets a stored marker stand', () => {
    const json = describeFields({ type: 'object', properties: { tokens: { type: 'array', items: { type: 'string', writeOnly: true } } } })
    const stored = rootState(json, { tokens: [{ $stored: 'tokens/0' }] })
    expect(validateForm(json, stored, ['tokens/*'])).toEqual({})
    const typed = setAt(stored, ['tokens'], { kind: 'json', text: '[{"$stored": "tokens/0"}, "plain"]', present: true })
    expect(validateForm(json, typed, ['tokens/*']).tokens).toMatch(/"tokens\/1" is a secret: it cannot be typed here/)
  })
})

describe('option paths', () => {
  it('escapes "/" and "~" in keys and matches "*" against indexes only', () => {
    expect(joinPath(['a/b', 'c~d'])).toBe('a~1b/c~0d')
    expect(splitPath('a~1b/c~0d')).toEqual(['a/b', 'c~d'])
    expect(matchesPattern(['servers', '3', 'password'], secretFields)).toBe(true)
    expect(matchesPattern(['servers', 'x', 'password'], secretFields)).toBe(false)
  })
})

describe('a schema that arrives while the form is open', () => {
  it('gives the new fields their stored values and keeps what was edited', () => {
    // The form opened before the engine's schema was known: no fields at all.
    const completed = withEveryField(rootState([], {}), fields, view)
    expect(completed.fields.location).toMatchObject({ kind: 'url', stored: 'location' })
    const again = setAt(completed, ['retries'], { kind: 'number', text: '7', present: false })
    expect(withEveryField(again, fields, view)).toBe(again)
  })
})
