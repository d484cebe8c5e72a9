import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/api-error'
import { fieldErrors, isShownByFields } from './field-errors'

const invalidInput = new ApiError({ code: 'E_INVALID_INPUT', message: 'Invalid input', details: { issues: [{ path: ['username'], message: 'Enter a username.' }, { path: ['username'], message: 'second' }, { path: ['email'], message: 'Too long.' }] } })

describe('fieldErrors', () => {
  it("puts each refused field's first message under that field", () => {
    expect(fieldErrors(invalidInput)).toEqual({ username: 'Enter a username.', email: 'Too long.' })
  })

  it("puts the validators' problems under the password, one sentence after the other", () => {
    const refused = new ApiError({
      code: 'E_PASSWORD_INVALID',
      message: 'The password was refused.',
      details: { problems: [{ validator: 'MinimumLengthValidator', code: 'password_too_short', message: 'Too short.' }, { validator: 'CommonPasswordValidator', code: 'password_too_common', message: 'Too common.' }] },
    })
    expect(fieldErrors(refused)).toEqual({ password: 'Too short. Too common.' })
  })

  it('names a conflict under the field it is about, and only when told which', () => {
    const taken = new ApiError({ code: 'E_CONFLICT', message: 'A user "ada" already exists.' })
    expect(fieldErrors(taken, 'username')).toEqual({ username: 'A user "ada" already exists.' })
    expect(fieldErrors(taken)).toEqual({})
  })

  it('leaves the form alert for errors that no field shown explains', () => {
    expect(isShownByFields(invalidInput, ['username', 'email'])).toBe(true)
    expect(isShownByFields(invalidInput, ['username'])).toBe(false)
    expect(isShownByFields(new ApiError({ code: 'E_UNSUPPORTED', message: 'Not built yet.' }), ['username'])).toBe(false)
  })
})
