import { describe, expect, it } from 'vitest'
import type { OutboxSettingsView } from '../../../../main/api/contract'
import { toDraft, toSaveInput } from './capture-settings-draft'

const stored: OutboxSettingsView = {
  smtp: { enabled: true, host: '127.0.0.1', port: 1025, maxSizeMB: 30, auth: 'listed', users: [{ username: 'ada', passwordSet: true }, { username: 'bob', passwordSet: true }], starttls: false, requireTls: false },
  mailboxes: 'single',
  retention: { maxMessages: 50_000, maxAgeDays: null },
  notify: false,
}

describe('the capture settings form', () => {
  it('saves what it loaded unchanged, passwords untouched', () => {
    expect(toSaveInput(toDraft(stored))).toEqual({ settings: stored, passwords: {} })
  })

  it('sends a replaced password and a cleared one, never an empty one', () => {
    const draft = { ...toDraft(stored), passwords: { ada: 'new secret', bob: null } }
    expect(toSaveInput(draft).passwords).toEqual({ ada: 'new secret', bob: null })
    expect(toSaveInput({ ...draft, passwords: { ada: '' } }).passwords).toEqual({})
  })

  it('reads an empty retention limit as "keep all" and leaves an empty port to the server to reject', () => {
    const input = toSaveInput({ ...toDraft(stored), maxMessages: '', port: '' })
    expect(input.settings.retention.maxMessages).toBeNull()
    expect(input.settings.smtp.port).toBeNaN()
  })
})
