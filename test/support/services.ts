import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { describe, it } from 'vitest'

/**
 * The real services of the testbed (scripts/testbed.sh, docs/testing.md). Their connection details come
 * from BACKPLANE_TEST_* variables: the process environment first, else the env file the testbed writes
 * to `$TESTBED_DIR/env` (default /tmp/backplane-testbed/env).
 */
export type ServiceName = 'postgres' | 'mysql' | 'redis' | 'memcached' | 'ldap' | 'sftp' | 'sshTunnel'

/** The BACKPLANE_TEST_* values of one service, by variable name. */
export type ServiceEnv = Record<string, string>

const VARIABLES: Record<ServiceName, readonly [main: string, ...extra: string[]]> = {
  postgres: ['BACKPLANE_TEST_POSTGRES_URL'],
  mysql: ['BACKPLANE_TEST_MYSQL_URL'],
  redis: ['BACKPLANE_TEST_REDIS_URL'],
  memcached: ['BACKPLANE_TEST_MEMCACHED'],
  // The admin (rootdn) bind DN, the seeded user ada, the service account for search-then-bind, LDAPS and the throwaway CA.
  ldap: ['BACKPLANE_TEST_LDAP_URL', 'BACKPLANE_TEST_LDAP_BIND_DN', 'BACKPLANE_TEST_LDAP_USER_DN', 'BACKPLANE_TEST_LDAP_SERVICE_DN', 'BACKPLANE_TEST_LDAPS_URL', 'BACKPLANE_TEST_LDAP_CA'],
  sftp: ['BACKPLANE_TEST_SFTP_URL', 'BACKPLANE_TEST_SFTP_KEY'],
  // The testbed's OpenSSH user that may forward to the PostgreSQL and MariaDB ports only.
  sshTunnel: ['BACKPLANE_TEST_SSH_TUNNEL_HOST', 'BACKPLANE_TEST_SSH_TUNNEL_PORT', 'BACKPLANE_TEST_SSH_TUNNEL_USER', 'BACKPLANE_TEST_SSH_TUNNEL_PASSWORD', 'BACKPLANE_TEST_SSH_TUNNEL_KEY'],
}
const PASSWORD = 'BACKPLANE_TEST_PASSWORD'

let fileEnv: Readonly<Record<string, string>> | undefined

/** Parses `KEY=value` lines (optionally `export KEY=value`, optionally quoted); ignores blanks and comments. */
function readEnvFile(): Readonly<Record<string, string>> {
  if (fileEnv) return fileEnv
  const path = join(process.env.TESTBED_DIR ?? '/tmp/backplane-testbed', 'env')
  const parsed: Record<string, string> = {}
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
      if (!match?.[1] || match[2] === undefined) continue
      const raw = match[2].trim()
      const quoted = /^(["'])(.*)\1$/.exec(raw)
      parsed[match[1]] = quoted?.[2] ?? raw
    }
  }
  fileEnv = parsed
  return parsed
}

/** The name of the variable without which a service counts as not available. */
export function mainVariable(name: ServiceName): string {
  return VARIABLES[name][0]
}

/**
 * The service's BACKPLANE_TEST_* values (plus BACKPLANE_TEST_PASSWORD when known), or undefined when its main
 * variable is set neither in the environment nor in the testbed's env file. All values come from one source:
 * the environment if it names the service, else the env file.
 */
export function serviceEnv(name: ServiceName): ServiceEnv | undefined {
  const main = mainVariable(name)
  const source: Readonly<Record<string, string | undefined>> = process.env[main] ? process.env : readEnvFile()
  if (!source[main]) return undefined
  const env: ServiceEnv = {}
  for (const key of [...VARIABLES[name], PASSWORD]) {
    const value = source[key]
    if (value) env[key] = value
  }
  return env
}

/**
 * `describe` for tests that need a real service. The block gets the service's env. Without the service the
 * block is skipped with one line on stderr, or, with BACKPLANE_REQUIRE_SERVICES=1 (as in .ci/run), replaced
 * by a failing test. Read the env inside tests and hooks, not while the block is collected: a skipped block
 * is still collected, with an empty env.
 */
export function describeService(name: ServiceName, title: string, fn: (env: ServiceEnv) => void): void {
  const env = serviceEnv(name)
  if (env) {
    describe(title, () => fn(env))
    return
  }
  const main = mainVariable(name)
  if (process.env.BACKPLANE_REQUIRE_SERVICES === '1') {
    describe(title, () => {
      it(`needs ${name}`, () => {
        throw new Error(
          `${name} is required (BACKPLANE_REQUIRE_SERVICES=1) but ${main} is not set in the environment or in the testbed env file; ` +
            '.ci/run starts the testbed (bash scripts/testbed.sh start) and exports its env file',
        )
      })
    })
    return
  }
  process.stderr.write(`skipped ${title}: ${name} not available (set ${main} or run scripts/testbed.sh start)\n`)
  describe.skip(title, () => fn({}))
}

/** The path of an executable on PATH (or an absolute path that is executable), or undefined. */
function findExecutable(name: string): string | undefined {
  const candidates = isAbsolute(name) ? [name] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name))
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not there or not executable: try the next directory
    }
  }
  return undefined
}

/**
 * Whether tests that run the executable `name` (from the Debian package `debianPackage`) should run: true
 * when it is on PATH. Otherwise one line goes to stderr and the answer is false, except with
 * BACKPLANE_REQUIRE_SERVICES=1, where it is true anyway so that the tests run and fail loudly.
 *
 *   const withSwaks = requireTool('swaks', 'swaks', 'swaks interop') ? describe : describe.skip
 */
export function requireTool(name: string, debianPackage: string, title = `tests that run ${name}`): boolean {
  if (findExecutable(name) !== undefined) return true
  if (process.env.BACKPLANE_REQUIRE_SERVICES === '1') return true
  process.stderr.write(`skipped ${title}: ${name} not installed (apt-get install ${debianPackage})\n`)
  return false
}

/** The Python that Debian's python3-* packages belong to (`python3` on PATH may be another, e.g. pyenv's). */
export const SYSTEM_PYTHON = '/usr/bin/python3'

/**
 * Like requireTool, for a module of the system Python (/usr/bin/python3): true when `import <module>`
 * works there; otherwise one line on stderr and false, except with BACKPLANE_REQUIRE_SERVICES=1.
 *
 *   const withDjango = requirePythonModule('django', 'python3-django', 'Django interop') ? describe : describe.skip
 */
export function requirePythonModule(module: string, debianPackage: string, title = `tests that use Python's ${module}`): boolean {
  if (spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0) return true
  if (process.env.BACKPLANE_REQUIRE_SERVICES === '1') return true
  process.stderr.write(`skipped ${title}: ${SYSTEM_PYTHON} cannot import ${module} (apt-get install ${debianPackage})\n`)
  return false
}
