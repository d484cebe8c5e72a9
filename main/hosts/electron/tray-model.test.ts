import { describe, expect, it } from 'vitest'
import { trayModel, type TrayState } from './tray-model'

const base: TrayState = { capture: { state: 'running', address: '127.0.0.1:1025' }, unread: 0, startAtLogin: false, startHidden: false, loginItems: true }
const labels = (state: TrayState) => trayModel(state).items.map((i) => (i === 'separator' ? '—' : i.label))

describe('tray model', () => {
  it('says where capture runs, offers to pause it, and shows no count without unread mail', () => {
    const model = trayModel(base)
    expect(model.tooltip).toBe('Backplane — capturing mail on 127.0.0.1:1025; no unread mail')
    expect(model.title).toBe('')
    expect(model.attention).toBe(false)
    expect(labels(base)).toEqual(['Open Backplane', 'Open the outbox', '—', 'Capturing mail on 127.0.0.1:1025', 'Pause capture', '—', 'Start at login', 'Start hidden in the tray', '—', 'Quit Backplane'])
    expect(model.items.find((i) => i !== 'separator' && i.label.startsWith('Capturing'))).not.toHaveProperty('action')
  })

  it('counts unread mail in the title, the tooltip and the outbox item', () => {
    const one = trayModel({ ...base, unread: 1 })
    expect([one.title, one.attention]).toEqual(['1', true])
    expect(one.tooltip).toContain('1 unread message')
    const many = trayModel({ ...base, unread: 1234 })
    expect(many.tooltip).toContain('1,234 unread messages')
    expect(labels({ ...base, unread: 3 })).toContain('Open the outbox (3 unread)')
  })

  it('offers to resume a paused capture, and says why a failed one failed', () => {
    expect(labels({ ...base, capture: { state: 'stopped', address: null } })).toEqual(expect.arrayContaining(['Capture paused', 'Resume capture']))
    const failed = trayModel({ ...base, capture: { state: 'failed', address: null, error: { code: 'E_ADDRESS_IN_USE', message: 'Port 1025 is already in use.' } } })
    expect(failed.attention).toBe(true)
    expect(failed.tooltip).toContain('capture failed: Port 1025 is already in use.')
  })

  it('offers no "Start at login" where the OS has no login items Electron can set (Linux)', () => {
    expect(labels({ ...base, loginItems: false })).not.toContain('Start at login')
    expect(labels({ ...base, loginItems: false })).toContain('Start hidden in the tray')
  })

  it('shows the two start options as checkboxes with their state', () => {
    const items = trayModel({ ...base, startAtLogin: true }).items.filter((i) => i !== 'separator' && i.checked !== undefined)
    expect(items).toEqual([
      { action: 'toggle-start-at-login', label: 'Start at login', checked: true },
      { action: 'toggle-start-hidden', label: 'Start hidden in the tray', checked: false },
    ])
  })
})
