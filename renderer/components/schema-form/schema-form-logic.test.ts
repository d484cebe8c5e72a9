import { describe, expect, it } from 'vitest'
import { buildOptions, initialValues } from './field-values'
import { describeFields, humanize, type JsonSchema } from './json-schema'
import { validateAll, validateField } from './validate-field'

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
  const [timeout, maxEntries, , servers] = describeFields(locmem)

  it('says what the schema allows', () => {
    expect(validateField(maxEntries!, 0)).toBe('Must be at least 1.')
    expect(validateField(maxEntries!, 2.5)).toBe('Enter a whole number.')
    expect(validateField(maxEntries!, 10)).toBeUndefined()
    expect(validateField(timeout!, null)).toBeUndefined()
    expect(validateField(servers!, undefined)).toBe('Required.')
    expect(validateField(servers!, [])).toBe('At least 1 entry.')
  })

  it('requires a required secret unless one is stored, and refuses to clear it', () => {
    const fields = describeFields(locmem).filter((field) => field.name === 'password')
    expect(validateAll(fields, {}, {}, {})).toEqual({ password: 'Required: type a value.' })
    expect(validateAll(fields, {}, { password: true }, {})).toEqual({})
    expect(validateAll(fields, {}, { password: true }, { password: null }).password).toMatch(/cannot be cleared/)
  })
})

describe('options from the form', () => {
  const fields = describeFields(locmem)

  it('starts from the stored options, else the defaults, never with secrets', () => {
    const values = initialValues(fields, { maxEntries: 50, routes: [{ a: 1 }] })
    expect(values).toMatchObject({ timeout: 300, maxEntries: 50, keyPrefix: '' })
    expect(values.routes).toBe('[\n  {\n    "a": 1\n  }\n]')
    expect('password' in values).toBe(false)
  })

  it('leaves out values equal to a default unless the alias already had them', () => {
    const original = { keyPrefix: '' }
    const values = { ...initialValues(fields, original), maxEntries: 10, routes: '[]', servers: ['a:1'] }
    expect(buildOptions(fields, values, original, { legacy: true })).toEqual({ legacy: true, keyPrefix: '', maxEntries: 10, routes: [], servers: ['a:1'] })
  })
})
