import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { events, methods } from '../main/api/contract'
import { ERROR_CATALOGUE } from '../main/core/schemas/error-codes'
import { API_DOC, renderApiDoc } from '../scripts/api-docs'

const root = join(import.meta.dirname, '..')
const doc = readFileSync(API_DOC, 'utf8')

/** The first cells of the table under a heading, read back from the text as a reader sees it. */
function firstColumn(heading: string): string[] {
  const section = doc.split(/^## /m).find((s) => s.startsWith(heading)) ?? ''
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!)
}

describe('docs/api.md', () => {
  it('lists every method of the contract, and nothing else', () => {
    expect(firstColumn('Methods').sort()).toEqual(Object.keys(methods).sort())
  })

  it('lists every event of the contract, and nothing else', () => {
    expect(firstColumn('Events').sort()).toEqual(Object.keys(events).sort())
  })

  it('lists every error code with the status the servers answer it with', () => {
    const section = doc.split(/^## /m).find((s) => s.startsWith('Errors')) ?? ''
    const rows = Object.fromEntries([...section.matchAll(/^\| `(E_[A-Z0-9_]+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]))
    expect(rows).toEqual(Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, { status }]) => [code, status])))
  })

  it('is what `npm run docs:api` writes from the contract (descriptions included)', () => {
    expect(doc).toBe(renderApiDoc(doc))
  })
})

describe('error codes', () => {
  it('are named through ErrorCode in the main process and the renderer, never as string literals', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'main', 'renderer', 'preload'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith('schemas/error-codes.ts'))
    const literals = files.flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/['"`](E_[A-Z0-9_]+)['"`]/g)].map((m) => `${file}: ${m[1]}`))
    // Comments may name a code (an engine's own, E_SMS_QUOTA, in a doc comment); code may not.
    expect(literals.filter((l) => !/E_SMS_QUOTA/.test(l))).toEqual([])
  })
})
