import { describe, expect, it } from 'vitest'
import { createSavePrompt, type ShowSaveDialog } from './save-prompt'

describe('the desktop save dialog for exports', () => {
  it('suggests the name in Downloads, filters by format, and answers the chosen file', async () => {
    const seen: Parameters<ShowSaveDialog>[0][] = []
    const prompt = createSavePrompt(async (options) => (seen.push(options), { canceled: false, filePath: '/home/ada/out.csv' }), () => '/home/ada/Downloads')
    expect(await prompt({ suggestedName: 'a/b\\c.csv', format: 'csv' })).toBe('/home/ada/out.csv')
    expect(seen[0]).toMatchObject({ defaultPath: '/home/ada/Downloads/a_b_c.csv', filters: [{ extensions: ['csv'] }], properties: ['createDirectory', 'showOverwriteConfirmation'] })
  })

  it('answers nothing when the dialog is cancelled', async () => {
    const prompt = createSavePrompt(async () => ({ canceled: true }), () => '/tmp')
    expect(await prompt({ suggestedName: 'q.jsonl', format: 'jsonl' })).toBeUndefined()
  })
})
