import { describe, expect, it } from 'vitest'
import type { EngineModule } from '../../core/engine-module'
import { createTrustPrompt, type ShowMessageBox } from './trust-prompt'

// Electron cannot run here (its binary cannot be downloaded), so the dialog is tested through the
// function it calls; main.ts passes Electron's dialog.showMessageBox.
const module: EngineModule = { spec: './x.mjs#X', file: '/data/x.mjs', exportName: 'X', content: Buffer.from(''), sha256: 'ab'.repeat(32) }

describe('the desktop trust dialog', () => {
  it('names the exact file and content, defaults to Cancel, and trusts only on "Trust and run"', async () => {
    const asked: Parameters<ShowMessageBox>[0][] = []
    const answer = (response: number): ShowMessageBox => async (options) => {
      asked.push(options)
      return { response }
    }
    expect(await createTrustPrompt(answer(1))({ kind: 'cache', module })).toBe(true)
    expect(await createTrustPrompt(answer(0))({ kind: 'cache', module })).toBe(false)
    expect(asked[0]).toMatchObject({ message: 'Run /data/x.mjs as a cache engine?', defaultId: 0, cancelId: 0, buttons: ['Cancel', 'Trust and run'] })
    expect(asked[0]?.detail).toContain(`SHA-256 ${'ab'.repeat(32)}`)
  })

  it('shows a path with line breaks or bidi overrides escaped, so it cannot forge the text around it', async () => {
    const asked: Parameters<ShowMessageBox>[0][] = []
    const prompt = createTrustPrompt(async (options) => {
      asked.push(options)
      return { response: 0 }
    })
    await prompt({ kind: 'cache', module: { ...module, file: '/data/x\n\nBuilt-in engine, safe.\n\u202e/engine.mjs' } })
    expect(asked[0]?.message).toBe('Run /data/x\\u000a\\u000aBuilt-in engine, safe.\\u000a\\u202e/engine.mjs as a cache engine?')
  })
})
