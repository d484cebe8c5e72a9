// Writes the tables of docs/api.md (methods, events, error codes) from the contract, between the
// <!-- generated:… --> markers, so the documentation cannot drift from the API: `npm run docs:api`.
// test/docs.test.ts fails when the file differs from what this would write.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { events, methods } from '../main/api/contract'
import { ERROR_CATALOGUE } from '../main/core/schemas/error-codes'

export const API_DOC = join(import.meta.dirname, '..', 'docs', 'api.md')

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

export function generatedSections(): Record<string, string> {
  const methodRows = Object.entries(methods).map(([name, spec]) => `| \`${name}\` | ${cell(spec.description)}${'redact' in spec && spec.redact ? ' *(answer masked)*' : ''} |`)
  const eventRows = Object.entries(events).map(([name, schema]) => `| \`${name}\` | ${cell(schema.description ?? '')} |`)
  const codeRows = Object.entries(ERROR_CATALOGUE).map(([code, { status, hint }]) => `| \`${code}\` | ${status} | ${cell(hint)} |`)
  return {
    methods: ['| method | what it does |', '| --- | --- |', ...methodRows].join('\n'),
    events: ['| event | when |', '| --- | --- |', ...eventRows].join('\n'),
    'error-codes': ['| code | HTTP status | default hint |', '| --- | --- | --- |', ...codeRows].join('\n'),
  }
}

/** The document with every generated section replaced by what the contract says now. */
export function renderApiDoc(text: string): string {
  let out = text
  for (const [name, table] of Object.entries(generatedSections())) {
    const pattern = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`)
    if (!pattern.test(out)) throw new Error(`docs/api.md has no <!-- generated:${name} --> … <!-- /generated:${name} --> section`)
    out = out.replace(pattern, (_m, open: string, close: string) => `${open}\n${table}\n${close}`)
  }
  return out
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(API_DOC, renderApiDoc(readFileSync(API_DOC, 'utf8')))
  process.stdout.write(`wrote the generated tables of ${API_DOC}\n`)
}
