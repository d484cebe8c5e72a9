import { describe, expect, it } from 'vitest'
import { buildOptions } from './build-options'
import { rootState, setAt } from './field-state'
import { describeFields, humanize, type JsonSchema } from './json-schema'
import { validateForm, validateValue } from './validate-field'

// The shapes zod 4's toJSONSchema writes for engine options (see settings.engines).
const locmem: JsonSchema = {
  type: 'object',
  properties: {
    timeout: { default: 300, description: 'TTL.', anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] },
    maxEntries: { default: 300, type: 'integer', minimum: 1, maximum: 9007199254740991 },
    keyPrefix: { default: '', type: 'string' },
    servers: { type: 'array', items: { type: 'string' }, minItems: 1 },
    routes: { type: 'array', items: { type: 'object' } },
    mode: { enum: ['a', 'b', null] },
    host: { type: ['string', 'null'] },
    password: { type: 'string', writeOnly: true },
  },
  required: ['servers', 'password'],
}

describe('describeFields', () => {
  const fields = Object.fromEntries(describeFields(locmem).map((field) => [field.name, field]))

  it('reads a nullable number from anyOf, keeping the outer default and description', () => {
    expect(fields.timeout).toMatchObject({ control: 'number', nullable: true, hasDefault: true, default: 300, description: 'TTL.' })
  })

  it('chooses a control per type', () => {
    expect(fields.maxEntries).toMatchObject({ control: 'number', integer: true, nullable: false })
    expect(fields.servers).toMatchObject({ control: 'tags', required: true })
    // Objects without properties (records) have no fields to show.
    expect(fields.routes?.control).toBe('json')
    expect(fields.mode).toMatchObject({ control: 'enum', nullable: true, options: ['a', 'b'] })
    expect(fields.host).toMatchObject({ control: 'text', nullable: true })
    expect(fields.password).toMatchObject({ control: 'secret', required: true })
  })

  it('labels options in words', () => {
    expect(humanize('maxEntries')).toBe('Max entries')
    expect(humanize('baseUrl')).toBe('Base URL')
    expect(humanize('use_tls')).toBe('Use TLS')
  })
})

describe('validation', () => {
  const fields = describeFields(locmem)
  const field = (name: string) => fields.find((f) => f.name === name)!
  const errorsOf = (options: Record<string, unknown>, edit?: (state: ReturnType<typeof rootState>) => ReturnType<typeof rootState>) => {
    const state = rootState(fields, options)
    return validateForm(fields, edit ? edit(state) : state)
  }

  it('says what the schema allows', () => {
    expect(errorsOf({ maxEntries: 10, servers: ['a'] }, (s) => setAt(s, ['maxEntries'], { kind: 'number', text: '0', present: true })).maxEntries).toBe('Must be at least 1.')
    expect(errorsOf({ servers: ['a'] }, (s) => setAt(s, ['maxEntries'], { kind: 'number', text: '2.5', present: true })).maxEntries).toBe('Enter a whole number.')
    expect(errorsOf({ maxEntries: 10, servers: ['a'] }).maxEntries).toBeUndefined()
    expect(errorsOf({ timeout: null, servers: ['a'] }).timeout).toBeUndefined()
    expect(validateValue(field('servers'), undefined)).toBe('Required.')
    expect(validateValue(field('servers'), [])).toBe('At least 1 entry.')
  })

  it('requires a required secret unless one is stored, and refuses to clear it', () => {
    expect(errorsOf({ servers: ['a'] }).password).toBe('Required: type a value.')
    expect(errorsOf({ servers: ['a'], password: { $stored: 'password' } }).password).toBeUndefined()
    const cleared = errorsOf({ servers: ['a'], password: { $stored: 'password' } }, (s) => setAt(s, ['password'], { kind: 'secret', stored: 'password', draft: null, present: true }))
    expect(cleared.password).toMatch(/cannot be cleared/)
  })
})

describe('options from the form', () => {
  const fields = describeFields(locmem)

  it('starts from the stored options, else the defaults, never with secret values', () => {
    const state = rootState(fields, { maxEntries: 50, routes: [{ a: 1 }], password: { $stored: 'password' } })
    expect(state.fields.timeout).toMatchObject({ kind: 'number', text: '300', present: false })
    expect(state.fields.maxEntries).toMatchObject({ kind: 'number', text: '50', present: true })
    expect(state.fields.keyPrefix).toMatchObject({ kind: 'value', value: '', present: false })
    expect(state.fields.routes).toMatchObject({ kind: 'json', text: '[\n  {\n    "a": 1\n  }\n]' })
    expect(state.fields.password).toEqual({ kind: 'secret', stored: 'password', present: true })
  })

  it('leaves out values equal to a default unless the alias already had them', () => {
    const original = { keyPrefix: '', password: { $stored: 'password' } }
    let state = rootState(fields, original)
    state = setAt(state, ['maxEntries'], { kind: 'number', text: '10', present: false })
    state = setAt(state, ['routes'], { kind: 'json', text: '[]', present: false })
    state = setAt(state, ['servers'], { kind: 'value', value: ['a:1'], present: false })
    expect(buildOptions(fields, state, { legacy: true })).toEqual({
      options: { legacy: true, keyPrefix: '', maxEntries: 10, routes: [], servers: ['a:1'], password: { $stored: 'password' } },
      secrets: {},
    })
  })
})
