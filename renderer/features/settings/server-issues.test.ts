import { describe, expect, it } from 'vitest'
import { placeServerError, placeStoredIssues } from './server-issues'

const options = new Set(['maxEntries', 'password'])

describe('placing problems on the alias editor', () => {
  it('puts E_INVALID_OPTIONS issues on their option fields', () => {
    const placed = placeServerError({ code: 'E_INVALID_OPTIONS', message: 'bad', details: { issues: [{ path: ['maxEntries'], message: 'Too small' }] } }, options)
    expect(placed).toEqual({ fields: { maxEntries: 'Too small' }, general: null, untrusted: null })
  })

  it('puts E_INVALID_INPUT issues on the name, options and secrets', () => {
    const placed = placeServerError(
      {
        code: 'E_INVALID_INPUT',
        message: 'bad',
        details: { issues: [{ path: ['name'], message: 'Use letters' }, { path: ['secrets', 'password'], message: 'Too long' }] },
      },
      options,
    )
    expect(placed.fields).toEqual({ name: 'Use letters', password: 'Too long' })
    expect(placed.general).toBeNull()
  })

  it('keeps what has no field as a general error', () => {
    const placed = placeServerError({ code: 'E_INVALID_OPTIONS', message: 'bad', details: { issues: [{ path: ['nowhere'], message: 'x' }] } }, options)
    expect(placed.general?.code).toBe('E_INVALID_OPTIONS')
    expect(placeServerError({ code: 'E_SETTINGS_CORRUPT', message: 'broken' }, options).general?.message).toBe('broken')
  })

  it('puts issues inside nested options and secrets on their fields, or on the nearest field above', () => {
    const paths = new Set(['servers', 'servers/0', 'servers/0/port', 'servers/0/password', 'labels'])
    const placed = placeServerError(
      {
        code: 'E_INVALID_INPUT',
        message: 'bad',
        details: {
          issues: [
            { path: ['options', 'servers', '0', 'port'], message: 'Too big' },
            { path: ['secrets', 'servers/0/password'], message: 'Too long' },
            { path: ['options', 'labels', 'a'], message: 'Expected string' },
          ],
        },
      },
      paths,
    )
    expect(placed).toMatchObject({ fields: { 'servers/0/port': 'Too big', 'servers/0/password': 'Too long', labels: 'a: Expected string' }, general: null })
  })

  it('keeps a module that is not trusted apart, for the editor to offer trusting it', () => {
    const placed = placeServerError({ code: 'E_ENGINE_UNTRUSTED', message: 'Not loaded.', hint: 'Read it, then trust this exact content with: npx backplane engines trust ./x.mjs' }, options)
    expect(placed.fields).toEqual({})
    expect(placed.general).toBeNull()
    expect(placed.untrusted?.hint).toContain('npx backplane engines trust ./x.mjs')
  })

  it('shows an engine that does not load on the engine field', () => {
    expect(placeServerError({ code: 'E_ENGINE_LOAD', message: 'No module.', hint: 'Move it.' }, options).fields).toEqual({ engine: 'No module. Move it.' })
  })

  it('maps stored issues by JSON pointer', () => {
    const issue = { file: 'settings.json', severity: 'error' as const }
    expect(
      placeStoredIssues(
        [
          { ...issue, pointer: '/caches/bad/options/maxEntries', message: 'Too small' },
          { ...issue, pointer: '/caches/bad/engine', message: 'Unknown engine' },
          { ...issue, pointer: '/caches/bad/options/servers/1/port', message: 'Expected number' },
        ],
        new Set([...options, 'servers', 'servers/1', 'servers/1/port']),
      ),
    ).toEqual({ maxEntries: 'Too small', engine: 'Unknown engine', 'servers/1/port': 'Expected number' })
  })
})
