import { pbkdf2 } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { verify as argon2Verify } from '@node-rs/argon2'
import { App } from '../main/api/app'
import type { AuthBackend } from '../main/backends/auth/base'
import { checkPassword, makePassword, PBKDF2_ITERATIONS } from '../main/backends/auth/hashers'
import { createLogger } from '../main/core/log'
import { round } from './support/stats'

const TARGETS = { eventLoopLagP99Ms: 20, overheadMax: 0.1 }
/** Logins per turn; ours and the bare call take TURNS turns each, alternating. */
const LOGINS = Number(process.env.BENCH_AUTH_LOGINS ?? 8)
const TURNS = 3
/** libuv's pool: how many hashes can run at once, so "at once" measures throughput, not queueing. */
const POOL = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
const CONCURRENT_LOGINS = 50
const PASSWORD = 'correct horse battery staple'
const pbkdf2Async = promisify(pbkdf2)

type Login = () => Promise<unknown>

/**
 * The auth kind's password checks: logins/s through the model backend's authenticate() on a SQLite
 * alias (one user lookup and one hash check each), with pbkdf2_sha256 at 1,200,000 iterations and with
 * argon2 at Django's defaults, each beside the bare node:crypto.pbkdf2 / @node-rs/argon2 verify of the
 * same hash measured in the same run, one at a time and POOL at once; then the main event loop's lag
 * while 50 logins run at once.
 */
export async function authBench(): Promise<unknown> {
  const home = mkdtempSync(join(tmpdir(), 'backplane-bench-auth-'))
  process.env.BACKPLANE_SECRET_STORE = 'file'
  const app = await App.open({ host: 'cli', dataDir: home, log: createLogger('bench', { level: 'error' }) })
  try {
    await app.call('settings.saveAlias', { kind: 'data', name: 'authbench', engine: 'sqlite', options: { name: join(home, 'auth.sqlite3') } })
    const backendFor = async (hasher: string): Promise<AuthBackend | { skipped: string }> => {
      const saved = await app
        .call('settings.saveAlias', { kind: 'auth', name: hasher, engine: 'model', options: { database: 'authbench', createTables: true, hashers: [hasher] } })
        .catch((err: Error) => err)
      if (saved instanceof Error) return { skipped: `the model auth engine refused the alias: ${saved.message}` }
      const backend = (await app.pool.get('auth', hasher)) as AuthBackend
      if (!backend.createUser) return { skipped: 'the model backend cannot create users yet' }
      await backend.createUser({ username: `bench-${hasher}`, password: PASSWORD })
      return backend
    }
    const pbkdf2Backend = await backendFor('pbkdf2_sha256')
    const pbkdf2Hash = await makePassword(PASSWORD, ['pbkdf2_sha256'])

    const pbkdf2Section = await section('pbkdf2_sha256', async () => {
      const [, , salt] = pbkdf2Hash.split('$')
      const bare: Login = () => pbkdf2Async(PASSWORD, salt!, PBKDF2_ITERATIONS, 32, 'sha256')
      return { iterations: PBKDF2_ITERATIONS, ...(await compare(loginOrCheck(pbkdf2Backend, 'pbkdf2_sha256', pbkdf2Hash), checker('pbkdf2_sha256', pbkdf2Hash), bare)) }
    })
    const argon2Section = await section('argon2', async () => {
      const backend = await backendFor('argon2')
      const encoded = await makePassword(PASSWORD, ['argon2'])
      const bare: Login = () => argon2Verify(encoded.slice('argon2'.length), PASSWORD)
      return { parameters: encoded.split('$')[3], ...(await compare(loginOrCheck(backend, 'argon2', encoded), checker('argon2', encoded), bare)) }
    })
    const eventLoop = await section('event loop', () => lagWhile(CONCURRENT_LOGINS, loginOrCheck(pbkdf2Backend, 'pbkdf2_sha256', pbkdf2Hash)))
    return { name: 'auth', targets: TARGETS, threadPool: POOL, pbkdf2: pbkdf2Section, argon2: argon2Section, eventLoop }
  } finally {
    await app.close()
    rmSync(home, { recursive: true, force: true })
  }
}

async function section(name: string, run: () => Promise<object>): Promise<object> {
  process.stderr.write(`bench: auth ${name}…\n`)
  try {
    return await run()
  } catch (err) {
    return { skipped: `failed: ${(err as Error).message}` }
  }
}

/** checkPassword() alone: the hasher module without the database, to tell its cost from the backend's. */
function checker(hasher: string, encoded: string): Login {
  return () => checkPassword(PASSWORD, encoded, [hasher])
}

/** A login through the backend, or, when the model backend is not there, the check it makes (said in the figures). */
function loginOrCheck(backend: AuthBackend | { skipped: string }, hasher: string, encoded: string): { login: Login; via: string } {
  if ('skipped' in backend) return { via: `checkPassword (${backend.skipped})`, login: () => checkPassword(PASSWORD, encoded, [hasher]) }
  return {
    via: 'model backend authenticate() on SQLite',
    login: async () => {
      const result = await backend.authenticate({ username: `bench-${hasher}`, password: PASSWORD })
      if (!result.ok) throw new Error(`the bench login was refused: ${result.reason}`)
    },
  }
}

/** Logins/s one at a time and POOL at once: login, checkPassword and bare call take turns, so a burst of load hits all alike. */
async function compare(ours: { login: Login; via: string }, check: Login, bare: Login) {
  const sides = { login: ours.login, checkPassword: check, bare }
  const rates = { sequential: { login: [] as number[], checkPassword: [] as number[], bare: [] as number[] }, parallel: { login: [] as number[], checkPassword: [] as number[], bare: [] as number[] } }
  await ours.login() // warm: the first login opens the database and checks its tables
  for (let turn = 0; turn < TURNS; turn++) {
    for (const [side, run] of Object.entries(sides) as [keyof typeof sides, Login][]) {
      rates.sequential[side].push(await perSecond(LOGINS, 1, run))
      rates.parallel[side].push(await perSecond(LOGINS, POOL, run))
    }
  }
  const best = (xs: number[]) => round(Math.max(...xs), 2)
  const figures = (r: typeof rates.sequential) => {
    const [login, check, raw] = [best(r.login), best(r.checkPassword), best(r.bare)]
    return { loginsPerSecond: login, checkPasswordPerSecond: check, bareChecksPerSecond: raw, overhead: round(1 - login / raw, 3) }
  }
  const sequential = figures(rates.sequential)
  const parallel = figures(rates.parallel)
  return { via: ours.via, sequential, [`${POOL}AtOnce`]: parallel, met: { overhead: sequential.overhead <= TARGETS.overheadMax } }
}

async function perSecond(count: number, width: number, login: Login): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: width }, async () => {
    while (next++ < count) await login()
  }))
  return count / ((performance.now() - started) / 1000)
}

/** The main event loop's delay, sampled every millisecond, while `count` logins run at once. */
async function lagWhile(count: number, ours: { login: Login; via: string }) {
  await ours.login()
  // A timer's own lateness is the event loop's lag; monitorEventLoopDelay measures exactly that, in ns.
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  const started = performance.now()
  await Promise.all(Array.from({ length: count }, () => ours.login()))
  const seconds = (performance.now() - started) / 1000
  histogram.disable()
  const ms = (ns: number) => round(ns / 1e6, 2)
  const p99 = ms(histogram.percentile(99))
  return {
    via: ours.via,
    logins: count,
    seconds: round(seconds, 2),
    lagP50Ms: ms(histogram.percentile(50)),
    lagP99Ms: p99,
    lagMaxMs: ms(histogram.max),
    met: { eventLoopLagP99: p99 < TARGETS.eventLoopLagP99Ms },
  }
}
