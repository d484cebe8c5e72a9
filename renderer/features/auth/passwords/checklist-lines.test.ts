import { describe, expect, it } from 'vitest'
import { checklistLines } from './checklist-lines'

describe('checklistLines', () => {
  it("lists Django's four default validators in order, each passing when it did not object", () => {
    const lines = checklistLines([])
    expect(lines.map((line) => line.validator)).toEqual(['MinimumLengthValidator', 'CommonPasswordValidator', 'NumericPasswordValidator', 'UserAttributeSimilarityValidator'])
    expect(lines.every((line) => line.ok)).toBe(true)
  })

  it("shows an objecting validator red with Django's message, and a custom validator after the defaults", () => {
    const lines = checklistLines([
      { validator: 'NumericPasswordValidator', code: 'password_entirely_numeric', message: 'This password is entirely numeric.' },
      { validator: 'HaveIBeenPwnedValidator', code: 'pwned', message: 'Seen in a breach.' },
    ])
    expect(lines.find((line) => line.validator === 'NumericPasswordValidator')).toEqual({ validator: 'NumericPasswordValidator', ok: false, message: 'This password is entirely numeric.' })
    expect(lines.at(-1)).toEqual({ validator: 'HaveIBeenPwnedValidator', ok: false, message: 'Seen in a breach.' })
    expect(lines.filter((line) => !line.ok)).toHaveLength(2)
  })
})
