import { describe, expect, it } from 'vitest'
import { placeCaptureSettingsError } from './capture-settings-errors'

describe('placing a failed capture settings save on the form', () => {
  it('puts input issues on their fields', () => {
    const placed = placeCaptureSettingsError({
      code: 'E_INVALID_INPUT',
      message: 'bad',
      details: {
        issues: [
          { path: ['settings', 'smtp', 'port'], message: 'Too big' },
          { path: ['settings', 'retention', 'maxMessages'], message: 'Too small' },
          { path: ['settings', 'smtp', 'users', '0', 'username'], message: 'Empty' },
        ],
      },
    })
    expect(placed).toEqual({ fields: { 'smtp.port': 'Too big', 'retention.maxMessages': 'Too small', 'smtp.users': 'Empty' }, general: null })
  })

  it('puts the "listed needs a user" rule on the user list', () => {
    const placed = placeCaptureSettingsError({ code: 'E_INVALID_OPTIONS', message: 'needs a user', details: { issues: [{ path: ['smtp', 'users'], message: 'Add a user with a password.' }] } })
    expect(placed.fields).toEqual({ 'smtp.users': 'Add a user with a password.' })
    expect(placed.general).toBeNull()
  })

  it('shows anything else as a whole', () => {
    expect(placeCaptureSettingsError({ code: 'E_SETTINGS_CORRUPT', message: 'broken' }).general?.code).toBe('E_SETTINGS_CORRUPT')
    expect(placeCaptureSettingsError({ code: 'E_INVALID_INPUT', message: 'bad', details: { issues: [{ path: ['other'], message: 'x' }] } }).general?.code).toBe('E_INVALID_INPUT')
  })
})
