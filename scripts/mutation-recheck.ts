/**
 * `npm run mutation:recheck`: applies each mutant Stryker reported as Survived by hand, in a scratch copy
 * of the tree, and runs the tests related to its file with plain vitest. Stryker's vitest runner on
 * vitest 4.1 reports some mutants as surviving that their tests kill (stryker-js#5928, #6192: verdicts
 * are lost), so its score is a floor; this gives the real one, and lists the true survivors.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

interface Position {
  line: number
  column: number
}
interface Mutant {
  id: string
  mutatorName: string
  replacement?: string
  status: string
  location: { start: Position; end: Position }
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>
}

const root = join(import.meta.dirname, '..')
// `npm run mutation:recheck -- <report> <vitest config>` for a partial run (stryker.data.json, stryker.auth.json).
const [reportPath = 'reports/mutation/mutation.json', testConfig = 'vitest.mutation.config.ts'] = process.argv.slice(2)
const report = JSON.parse(readFileSync(join(root, reportPath), 'utf8')) as Report

/** Offsets of a 1-based line and column, as the mutation-testing report schema counts them. */
function offsetOf(source: string, { line, column }: Position): number {
  let offset = 0
  for (let l = 1; l < line; l++) offset = source.indexOf('\n', offset) + 1
  return offset + column - 1
}

const scratch = mkdtempSync(join(tmpdir(), 'backplane-mutation-'))
// Tracked files and new ones not ignored, as they are in the working tree.
const tracked = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean)
for (const file of tracked) if (existsSync(join(root, file))) cpSync(join(root, file), join(scratch, file), { recursive: true })
symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'))

function runRelated(path: string): number | null {
  return spawnSync('npx', ['vitest', 'related', '--run', '--config', testConfig, '--bail', '1', path], { cwd: scratch, encoding: 'utf8', timeout: 120_000 }).status
}

const summary: Record<string, { killed: number; survived: number; reported: number; total: number }> = {}
const survivors: string[] = []
try {
  for (const [absolute, file] of Object.entries(report.files)) {
    const path = relative(root, absolute.startsWith('/') ? absolute : join(root, absolute))
    const all = file.mutants
    const counted = all.filter((m) => m.status !== 'CompileError' && m.status !== 'Ignored')
    const reported = counted.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    // Unmutated, the related tests must pass here, or a failure below would not be the mutant's doing.
    if (runRelated(path) !== 0) throw new Error(`The tests related to ${path} fail without any mutant: fix them first.`)
    const entry = (summary[path] = { killed: counted.length - reported.length, survived: 0, reported: reported.length, total: counted.length })
    for (const mutant of reported) {
      const start = offsetOf(file.source, mutant.location.start)
      const end = offsetOf(file.source, mutant.location.end)
      writeFileSync(join(scratch, path), file.source.slice(0, start) + (mutant.replacement ?? '') + file.source.slice(end))
      const killed = runRelated(path) !== 0
      if (killed) entry.killed++
      else {
        entry.survived++
        survivors.push(`${path}:${mutant.location.start.line} ${mutant.mutatorName}: ${JSON.stringify(file.source.slice(start, end)).slice(0, 70)} → ${JSON.stringify(mutant.replacement ?? '').slice(0, 50)}`)
      }
      process.stderr.write(killed ? 'k' : 'S')
    }
    writeFileSync(join(scratch, path), file.source)
    process.stderr.write('\n')
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

const rows = Object.entries(summary).map(([file, s]) => ({ file, total: s.total, reportedSurvived: s.reported, reallySurvived: s.survived, score: `${((100 * s.killed) / s.total).toFixed(2)}%` }))
const total = Object.values(summary).reduce((a, s) => ({ killed: a.killed + s.killed, total: a.total + s.total }), { killed: 0, total: 0 })
console.log(JSON.stringify({ files: rows, score: `${((100 * total.killed) / total.total).toFixed(2)}%`, survivors }, null, 2))
