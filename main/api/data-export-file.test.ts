import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestApp, type TestApp } from '../../test/support/test-app'
import type { SavePrompt } from './app'

// data.exportToFile: the desktop app's export, where the main process's save dialog (here a stand-in)
// names the file and the renderer only starts and cancels it.
let test: TestApp
let answer: string | undefined
const asked: Parameters<SavePrompt>[0][] = []

beforeAll(async () => {
  test = await openTestApp({
    savePrompt: async (request) => {
      asked.push(request)
      return answer
    },
  })
  await test.app.call('data.script', {
    sql: "CREATE TABLE fruit (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO fruit VALUES (1, 'apple'), (2, 'pe,ar'), (3, NULL)",
  })
})
afterAll(() => test.close())

describe('data.exportToFile', () => {
  it('writes the table where the save dialog says, and reports progress', async () => {
    answer = join(test.home, 'fruit.csv')
    const progress: { rows: number }[] = []
    const off = test.app.events.on('data.exportProgress', (p) => progress.push(p as { rows: number }))
    const saved = await test.app.call('data.exportToFile', { table: { name: 'fruit' }, format: 'csv', queryId: 'e1' })
    off()
    expect(asked.at(-1)).toEqual({ suggestedName: 'fruit.csv', format: 'csv' })
    expect(saved).toEqual({ saved: true, file: answer, rows: 3, bytes: expect.any(Number) })
    expect(readFileSync(answer, 'utf8')).toBe('id,name\r\n1,apple\r\n2,"pe,ar"\r\n3,\r\n')
    expect(progress.at(-1)).toMatchObject({ queryId: 'e1', rows: 3 })
  })

  it('writes nothing when the dialog is cancelled', async () => {
    answer = undefined
    expect(await test.app.call('data.exportToFile', { sql: 'SELECT * FROM fruit', format: 'jsonl', queryId: 'e2' })).toEqual({ saved: false })
    expect(asked.at(-1)).toEqual({ suggestedName: 'query.jsonl', format: 'jsonl' })
  })

  it('stops at data.cancel and leaves no file, not even a partial one', async () => {
    answer = join(test.home, 'endless.jsonl')
    const running = test.app.call('data.exportToFile', { sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', format: 'jsonl', queryId: 'e3' })
    running.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await test.app.call('data.cancel', { queryId: 'e3' })).toEqual({ cancelled: true })
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' })
    expect(existsSync(answer)).toBe(false)
    expect(existsSync(`${answer}.partial`)).toBe(false)
  })

  it('refuses a statement that writes, and a request naming both a table and a query', async () => {
    answer = join(test.home, 'never.csv')
    await expect(test.app.call('data.exportToFile', { sql: 'DELETE FROM fruit', queryId: 'e4' })).rejects.toMatchObject({ status: 400 })
    await expect(test.app.call('data.exportToFile', { sql: 'SELECT 1', table: { name: 'fruit' }, queryId: 'e5' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT' })
    expect((await test.app.call('data.query', { sql: 'SELECT count(*) FROM fruit' })).rows).toEqual([[3]])
  })
})

describe('data.exportToFile without a save dialog (serve mode, the CLI)', () => {
  it('answers E_UNSUPPORTED with where to export instead', async () => {
    const plain = await openTestApp()
    try {
      await expect(plain.app.call('data.exportToFile', { table: { name: 'x' }, queryId: 'e6' })).rejects.toMatchObject({ code: 'E_UNSUPPORTED', status: 400, hint: expect.stringMatching(/export data/) })
    } finally {
      await plain.close()
    }
  })
})
