import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { sha256 } from './engine-module'

// The loader hooks work in Node's own module loader, which vitest does not use for the modules it
// runs: so this runs a child process with plain Node (and tsx, as `npx backplane` does from a checkout).
const dir = mkdtempSync(join(tmpdir(), 'backplane-loader-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const loader = pathToFileURL(join(import.meta.dirname, 'engine-loader.ts')).href

function runScript(body: string) {
  const script = join(dir, `script-${Math.random().toString(36).slice(2)}.mts`)
  writeFileSync(script, `import { installEngineLoader, importEngineModule } from ${JSON.stringify(loader)}\ninstallEngineLoader(undefined)\n${body}`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('engine module loader', () => {
  const marker = join(dir, 'ran.txt')
  const file = join(dir, 'engine.mjs')
  const trusted = 'export const ok = 1\n'
  const swapped = `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export const ok = 2\n`

  it('runs exactly the content that was hashed', () => {
    writeFileSync(file, trusted)
    const out = runScript(`const m = await importEngineModule({ spec: 'x', file: ${JSON.stringify(file)}, exportName: undefined, content: Buffer.from(''), sha256: ${JSON.stringify(sha256(Buffer.from(trusted)))} })\nconsole.log('ok=' + m.ok)`)
    expect(out.stdout, out.stderr).toContain('ok=1')
  })

  it('refuses a file replaced after its hash was checked, before any of it runs', () => {
    // The registry hashed `trusted`; by the time Node loads the file, it holds other code.
    writeFileSync(file, swapped)
    const out = runScript(
      `try { await importEngineModule({ spec: 'x', file: ${JSON.stringify(file)}, exportName: undefined, content: Buffer.from(''), sha256: ${JSON.stringify(sha256(Buffer.from(trusted)))} }); console.log('imported') } catch (e) { console.log('refused ' + e.code) }`,
    )
    expect(out.stdout, out.stderr).toContain('refused E_ENGINE_UNTRUSTED')
    expect(existsSync(marker)).toBe(false)
    expect(readFileSync(file, 'utf8')).toBe(swapped)
  })
})

describe('engine module loader without module hooks', () => {
  it('says so in the log, once, and still loads a module after the trust check', () => {
    const file = join(dir, 'plain.mjs')
    writeFileSync(file, 'export const ok = 3\n')
    // An old runtime, played by a register() that throws; the live binding makes the loader see it.
    const script = join(dir, 'no-hooks.mts')
    writeFileSync(
      script,
      [
        "import mod, { syncBuiltinESMExports } from 'node:module'",
        "mod.register = () => { throw new Error('no hooks here') }",
        'syncBuiltinESMExports()',
        `const { installEngineLoader, importEngineModule } = await import(${JSON.stringify(loader)})`,
        "const log = { warn: (m) => console.log('WARN ' + m) }",
        "console.log('mode=' + installEngineLoader(undefined, log))",
        "console.log('again=' + installEngineLoader(undefined, log))",
        `const m = await importEngineModule({ spec: 'x', file: ${JSON.stringify(file)}, exportName: undefined, content: Buffer.from(''), sha256: ${JSON.stringify(sha256(Buffer.from('export const ok = 3\n')))} })`,
        "console.log('ok=' + m.ok)",
      ].join('\n'),
    )
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' })
    expect(result.stdout, result.stderr).toContain('mode=plain')
    expect(result.stdout).toContain('again=plain')
    expect(result.stdout.match(/WARN .*no hooks here.*without the load-time hash check/g)).toHaveLength(1)
    expect(result.stdout).toContain('ok=3')
  })
})
